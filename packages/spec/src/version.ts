/**
 * The version of the contracts in this package. Every plugin declares the
 * version it was written against, so a runner can refuse one it cannot host.
 */
export const specificationVersion = 1 as const;
export type SpecificationVersion = typeof specificationVersion;
