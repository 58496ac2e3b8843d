/** A table of text cells, and which columns are right-aligned (numbers). */
export interface TextTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; default: the first column left-aligned, every other right-aligned. */
  readonly right?: readonly boolean[];
}

const rightAligned = (table: TextTable, column: number) => table.right?.[column] ?? column > 0;

/**
 * The table as terminal text: one line per row, each column padded to its widest cell and
 * separated by two spaces, trailing spaces trimmed.
 */
export function plainTable(table: TextTable): string[] {
  const widths = table.head.map((title, column) =>
    Math.max(title.length, ...table.rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        rightAligned(table, column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join("  ")
      .trimEnd();
  return [line(table.head), ...table.rows.map(line)];
}

/** The table as Markdown (cells as given: escape text from data first). */
export function markdownTable(table: TextTable): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const rule = table.head.map((_, column) => (rightAligned(table, column) ? "---:" : "---"));
  return [line(table.head), line(rule), ...table.rows.map(line)].join("\n");
}
