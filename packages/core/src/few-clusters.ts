/**
 * How many clusters an interval needs. Below fewClusters groups the clustered percentile
 * bootstrap under-covers (about 91% for a nominal 95% at 10 groups), so profilekit inverts the
 * sign-flip test instead and warns; below minimumClusters no two-sided 95% interval exists at all:
 * the smallest sign-flip p-value with G groups is 2^(1 - G), above 0.05 for G <= 5.
 */
export const fewClusters = 30;
export const minimumClusters = 6;

/** How an interval was computed. */
export type IntervalMethod = "percentile-bootstrap" | "sign-flip-inversion" | "none";

/** The warning for too few clusters (what: "profile", "alignment", ...), or undefined for enough. */
export function fewClustersWarning(groups: number, what: string, method: IntervalMethod): string | undefined {
  if (groups < minimumClusters) {
    const shown =
      method === "none" ? "so intervals are null" : "so the intervals shown do not hold their level";
    return (
      `Only ${groups} cluster${groups === 1 ? "" : "s"} in the ${what}: below ${minimumClusters} no 95% interval holds ` +
      `(the smallest two-sided sign-flip p-value is 2^(1 - G) = ${2 ** (1 - groups)}), ${shown}. ` +
      "Collect more clusters, or choose a finer cluster level if the pairs are truly independent."
    );
  }
  if (groups >= fewClusters) return undefined;
  const how =
    method === "sign-flip-inversion"
      ? "so intervals invert the clustered sign-flip test, which keeps its coverage with few clusters"
      : "and the percentile bootstrap used here under-covers with few clusters";
  return `Only ${groups} clusters in the ${what} (fewer than ${fewClusters}), ${how}; read intervals with care.`;
}
