/** "settings.generation.levels", "plugins[1]": a zod issue's path as a reader writes it. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text === "" ? String(key) : `${text}.${String(key)}`,
    "",
  );
}
