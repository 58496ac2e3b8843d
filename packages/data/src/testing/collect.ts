/** Every item of an async iterable, for the tests (Array.fromAsync is ES2024, beyond the configured lib). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
