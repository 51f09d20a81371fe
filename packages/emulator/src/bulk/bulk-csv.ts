// CSV for the Bulk APIs: delimiters and line endings by Salesforce's names, a streaming
// parser over uploaded bytes, and the writer for result files (every value quoted).
import { StringDecoder } from "node:string_decoder";

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

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Whether bytes [from, to) hold anything but carriage returns (a line with content). */
function hasNonCr(chunk: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (chunk[i] !== CR) return true;
  return false;
}

/**
 * Counts record terminators outside quotes: how many are CRLF and how many bare LF. Quotes
 * and line feeds are found with indexOf rather than byte by byte: a million-row upload is
 * about 100 MB, and a JavaScript loop over every byte cost the emulator more CPU than
 * receiving it.
 */
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
    const n = chunk.length;
    this.bytes += n;
    if (n === 0) return;
    let pos = 0;
    let nextQuote = chunk.indexOf(QUOTE);
    while (pos < n) {
      if (nextQuote >= 0 && nextQuote < pos) nextQuote = chunk.indexOf(QUOTE, pos);
      if (this.inQuotes) {
        // everything up to the closing quote is a field's content, line feeds included
        this.pendingContent = true;
        if (nextQuote < 0) break;
        this.inQuotes = false;
        pos = nextQuote + 1;
        continue;
      }
      const lf = chunk.indexOf(LF, pos);
      if (nextQuote >= 0 && (lf < 0 || nextQuote < lf)) {
        this.pendingContent = true;
        this.inQuotes = true;
        pos = nextQuote + 1;
        continue;
      }
      const end = lf < 0 ? n : lf;
      if (!this.pendingContent && hasNonCr(chunk, pos, end)) this.pendingContent = true;
      if (lf < 0) break;
      if ((lf > 0 ? chunk[lf - 1] : this.lastByte) === CR) this.crlf++;
      else this.lf++;
      if (this.pendingContent) this.records++;
      this.pendingContent = false;
      pos = lf + 1;
    }
    this.lastByte = chunk[n - 1]!;
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

/**
 * Rows (arrays of cells) of CSV bytes, streamed in batches; the first row is the header. A small
 * RFC 4180 reader (quoted fields, doubled quotes, CRLF or LF records, blank lines skipped)
 * that keeps up with million-row uploads. Malformed quoting throws.
 */
export async function* csvRowBatches(
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
  delimiter: string,
): AsyncGenerator<string[][]> {
  const decoder = new StringDecoder("utf8");
  const d = delimiter.charCodeAt(0);
  let buffer = "";
  let first = true;
  // Where the buffer starts in the whole upload, so that errors name the file's own line.
  const origin: CsvPosition = { line: 1, record: 1 };
  for await (const chunk of chunks) {
    // a large buffered upload is read a megabyte at a time, so batches stay small
    for (let at = 0; at < chunk.length; at += 1 << 20) {
      buffer += decoder.write(chunk.subarray(at, at + (1 << 20)));
      if (first && buffer.length) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      const { rows, rest } = parseSome(buffer, d, false, origin);
      advance(origin, buffer, buffer.length - rest.length, rows.length);
      buffer = rest;
      if (rows.length) yield rows;
    }
  }
  buffer += decoder.end();
  if (first && buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
  const { rows } = parseSome(buffer, d, true, origin);
  if (rows.length) yield rows;
}

export class CsvSyntaxError extends Error {}

/** The file line (1-based) and record (1 = the header) where a parse buffer starts. */
interface CsvPosition {
  line: number;
  record: number;
}

function newlinesBefore(s: string, end: number): number {
  let count = 0;
  for (let k = s.indexOf("\n"); k >= 0 && k < end; k = s.indexOf("\n", k + 1)) count++;
  return count;
}

/** Moves the position past the `consumed` characters (and `records` records) of `s`. */
function advance(at: CsvPosition, s: string, consumed: number, records: number): void {
  at.line += newlinesBefore(s, consumed);
  at.record += records;
}

/** "line 7 (data row 3)": where in the file index `i` of the buffer `s` is. */
function where(s: string, i: number, at: CsvPosition, recordsBefore: number): string {
  const record = at.record + recordsBefore;
  return `line ${at.line + newlinesBefore(s, i)} (${record === 1 ? "the header" : `data row ${record - 1}`})`;
}

/** Parses the complete records of `s`; the incomplete tail is returned as `rest`. */
function parseSome(
  s: string,
  d: number,
  final: boolean,
  at: CsvPosition,
): { rows: string[][]; rest: string } {
  const rows: string[][] = [];
  const n = s.length;
  let i = 0;
  records: while (i < n) {
    const recordStart = i;
    const row: string[] = [];
    for (;;) {
      if (s.charCodeAt(i) === 0x22) {
        let value = "";
        let j = i + 1;
        for (;;) {
          const q = s.indexOf('"', j);
          if (q < 0) {
            // Named where the quote opened: the file's end says nothing about which field it is.
            if (final)
              throw new CsvSyntaxError(
                `Unclosed quote: the quoted field opened on ${where(s, i, at, rows.length)} is never closed`,
              );
            i = recordStart;
            break records;
          }
          if (q + 1 >= n && !final) {
            i = recordStart;
            break records;
          }
          if (s.charCodeAt(q + 1) === 0x22) {
            value += s.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += s.slice(j, q);
          i = q + 1;
          break;
        }
        row.push(value);
      } else {
        let k = i;
        while (k < n) {
          const c = s.charCodeAt(k);
          if (c === d || c === 0x0a || c === 0x0d) break;
          k++;
        }
        if (k >= n && !final) {
          i = recordStart;
          break records;
        }
        row.push(s.slice(i, k));
        i = k;
      }
      if (i >= n) {
        if (!(row.length === 1 && row[0] === "")) rows.push(row);
        break records;
      }
      const c = s.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      if (c === 0x0d) {
        if (i + 1 >= n && !final) {
          i = recordStart;
          break records;
        }
        i += s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      } else if (c === 0x0a) i++;
      else
        throw new CsvSyntaxError(
          `Invalid character after a closing quote on ${where(s, i, at, rows.length)}`,
        );
      if (!(row.length === 1 && row[0] === "")) rows.push(row);
      break;
    }
  }
  return { rows, rest: i >= n ? "" : s.slice(i) };
}
