/** Numbers as the report shows them: fixed digits, ASCII minus, no locale (the same bytes anywhere). */

/** A score with `digits` decimals; "—" when there is none. Never "-0.000". */
export function formatScore(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A 95% interval as "[lo, hi]"; "—" when there is none. */
export function formatInterval(ci: readonly [number, number] | null | undefined, digits = 3): string {
  return ci === null || ci === undefined
    ? "—"
    : `[${formatScore(ci[0], digits)}, ${formatScore(ci[1], digits)}]`;
}

/** A score and its interval: "0.132 [0.016, 0.245]". */
export function formatWithInterval(
  value: number | null | undefined,
  ci: readonly [number, number] | null | undefined,
  digits = 3,
): string {
  const interval = formatInterval(ci, digits);
  return interval === "—" ? formatScore(value, digits) : `${formatScore(value, digits)} ${interval}`;
}

/** A whole number with thousands separators: 1,320. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const [whole, fraction] = String(value).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A share in [0, 1] as a percentage with one decimal: 42.1%. */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? "—"
    : `${formatScore(value * 100, 1)}%`;
}

/** US dollars: four significant decimals for small sums. */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}
