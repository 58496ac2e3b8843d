/**
 * The lines of a stream of UTF-8 text (a provider's output file, a vLLM output file), one at a
 * time and without holding the whole stream: output files of a large batch run to hundreds of
 * megabytes. Blank lines are skipped; a last line without a newline is kept.
 */
export async function* textLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of chunks) {
    rest += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf("\n");
    while (newline >= 0) {
      const line = rest.slice(0, newline).replace(/\r$/, "");
      rest = rest.slice(newline + 1);
      if (line.trim() !== "") yield line;
      newline = rest.indexOf("\n");
    }
  }
  rest += decoder.decode();
  if (rest.trim() !== "") yield rest.replace(/\r$/, "");
}
