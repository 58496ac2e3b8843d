import { StringDecoder } from "node:string_decoder";

/** Decodes UTF-8 chunks to strings, joining multi-byte characters cut by a chunk boundary. */
export async function* decodeUtf8(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  for await (const chunk of bytes) {
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const end = decoder.end();
  if (end.length > 0) yield end;
}
