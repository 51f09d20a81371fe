// CSV for the Bulk APIs: delimiters and line endings by Salesforce's names, a streaming
// parser over uploaded bytes, and the writer for result files (every value quoted).
import { Readable } from "node:stream";
import { parse } from "csv-parse";

export const DELIMITERS: Record<string, string> = {
  COMMA: ",",
  BACKQUOTE: "`",
  CARET: "^",
  PIPE: "|",
  SEMICOLON: ";",
  TAB: "\t",
};

export const LINE_ENDINGS: Record<string, string> = { LF: "\n", CRLF: "\r\n" };

/** `"value"` with inner quotes doubled: Salesforce quotes every value of a result file. */
export function quoteAll(cells: readonly unknown[], delimiter: string): string {
  let out = "";
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    const s = v === null || v === undefined ? "" : typeof v === "string" ? v : String(v);
    if (i > 0) out += delimiter;
    out += `"${s.includes('"') ? s.replace(/"/g, '""') : s}"`;
  }
  return out;
}

/** Counts record terminators outside quotes: how many are CRLF and how many bare LF. */
export class LineEndingScanner {
  private inQuotes = false;
  private lastByte = -1;
  crlf = 0;
  lf = 0;
  bytes = 0;
  /** Records seen (terminated lines plus a final unterminated one). */
  records = 0;
  private pendingContent = false;

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x22) this.inQuotes = !this.inQuotes;
      else if (b === 0x0a && !this.inQuotes) {
        if (this.lastByte === 0x0d) this.crlf++;
        else this.lf++;
        if (this.pendingContent) this.records++;
        this.pendingContent = false;
        this.lastByte = b;
        continue;
      }
      if (b !== 0x0d) this.pendingContent = true;
      this.lastByte = b;
    }
  }

  finish(): void {
    if (this.pendingContent) this.records++;
    this.pendingContent = false;
  }

  /** The line ending the data uses, when it is consistent. */
  matches(lineEnding: string): boolean {
    return lineEnding === "CRLF" ? this.lf === 0 : this.crlf === 0;
  }
}

/** Rows (arrays of cells) of stored CSV bytes, streamed; the first row is the header. */
export function csvRows(
  chunks: readonly Buffer[],
  delimiter: string,
  lineEnding: string,
): AsyncIterable<string[]> {
  const parser = parse({
    delimiter,
    record_delimiter: lineEnding,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  Readable.from(chunks as Buffer[], { objectMode: false }).pipe(parser);
  return parser as AsyncIterable<string[]>;
}
