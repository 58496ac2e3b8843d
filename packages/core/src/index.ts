export { NULL_SIGN, ProfileAccumulator } from "./accumulator.js";
export { groupKeyOf } from "./group-key.js";
export {
  allKendallVariants,
  type FactorCounts,
  type KendallVariant,
  KendallVariantSchema,
  type KendallVariants,
  kendallTau,
  kendallVariants,
} from "./kendall.js";
export {
  computeProfile,
  type ProfileOptions,
  ProfileOptionsSchema,
  profileFromManifestations,
} from "./profile.js";
export {
  type FactorScore,
  FactorScoreSchema,
  KendallVariantsSchema,
  type Profile,
  ProfileSchema,
} from "./profile-schema.js";
export { createRandom, type Random } from "./random.js";
export { PluginRegistry } from "./registry.js";
