import { InputError, preview, type RecordAt } from "./errors.js";
import type { RecordItem } from "./record-item.js";

/** Where the scanner is. */
const Phase = {
  /** Before the opening `[`. */
  Start: 0,
  /** After `[`: an element or `]`. */
  First: 1,
  /** After `,`: an element. */
  Next: 2,
  /** Inside an element. */
  Element: 3,
  /** After an element: `,` or `]`. */
  After: 4,
  /** After the closing `]`: only whitespace. */
  End: 5,
} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

const newline = 10;
const quote = 34;
const backslash = 92;
const comma = 44;
const openBracket = 91;
const closeBracket = 93;
const openBrace = 123;
const closeBrace = 125;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/**
 * Streams the elements of a top-level JSON array, one batch per chunk. A small
 * scanner finds where each element starts and ends (tracking strings, escapes,
 * nesting and line numbers) and `JSON.parse` reads the element, so memory holds
 * one element at a time and every record knows its line. A malformed element is
 * a record-level error; a broken array structure (truncated file, text after
 * the array) is fatal. The text must start (after blanks) with "[".
 */
export async function* jsonArrayRecords(
  file: string,
  text: AsyncIterable<string>,
): AsyncGenerator<RecordItem[]> {
  let phase = Phase.Start as Phase;
  let line = 1;
  let index = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let elementLine = 0;

  const structureError = (problem: string, hint: string) =>
    new InputError("malformed_json", `${file}:${line}: ${problem}`, { location: { file, line }, hint });

  for await (const chunk of text) {
    const batch: RecordItem[] = [];
    let elementStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code === newline) line++;
      if (phase === Phase.Element) {
        if (inString) {
          if (escaped) escaped = false;
          else if (code === backslash) escaped = true;
          else if (code === quote) inString = false;
        } else if (code === quote) {
          inString = true;
        } else if (code === openBrace || code === openBracket) {
          depth++;
        } else if ((code === closeBrace || code === closeBracket) && depth > 0) {
          depth--;
        } else if (depth === 0 && (code === comma || code === closeBracket || code === closeBrace)) {
          parts.push(chunk.slice(elementStart, i));
          batch.push(parseElement({ file, line: elementLine, index: index++ }, parts.join("")));
          parts = [];
          phase = Phase.After;
          i--;
        }
        continue;
      }
      if (isWhitespace(code)) continue;
      switch (phase) {
        case Phase.Start:
          // The caller has checked that the first non-blank character is "[".
          phase = Phase.First;
          break;
        case Phase.First:
        case Phase.Next:
          if (code === closeBracket && phase === Phase.First) {
            phase = Phase.End;
          } else if (code === closeBracket || code === comma) {
            throw structureError(
              `expected an array element, found "${String.fromCharCode(code)}"`,
              "remove the extra comma",
            );
          } else {
            phase = Phase.Element;
            elementLine = line;
            elementStart = i;
            i--;
          }
          break;
        case Phase.After:
          if (code === comma) phase = Phase.Next;
          else if (code === closeBracket) phase = Phase.End;
          else
            throw structureError(
              `expected "," or "]" after an element, found "${String.fromCharCode(code)}"`,
              "fix the array's brackets",
            );
          break;
        case Phase.End:
          throw structureError(
            `unexpected ${preview(chunk.slice(i, i + 40))} after the end of the array`,
            "a .json file holds exactly one array",
          );
      }
    }
    if (phase === Phase.Element) {
      parts.push(chunk.slice(elementStart));
    }
    if (batch.length > 0) yield batch;
  }
  if (phase !== Phase.End) {
    throw structureError(
      `the file ends inside the array${phase === Phase.Element ? ` (in the element that starts on line ${elementLine})` : ""}`,
      "the file looks truncated; check that it was written completely",
    );
  }
  if (index === 0) {
    throw new InputError("empty_input", `${file}: the array is empty, there are no records`, {
      location: { file },
      hint: "check that this is the right file",
    });
  }
}

function parseElement(at: RecordAt, source: string): RecordItem {
  try {
    return { at, value: JSON.parse(source) };
  } catch (error) {
    return {
      at,
      error: new InputError(
        "malformed_json",
        `${at.file}:${at.line}: malformed JSON in array element ${at.index} (${(error as Error).message}); it starts ${preview(source.trimStart())}`,
        {
          location: { file: at.file, line: at.line },
          hint: "fix the element, or use --on-invalid skip to drop bad records",
          cause: error,
        },
      ),
    };
  }
}
