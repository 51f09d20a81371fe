import { cellText, valueAt } from "./flatten.js";

/** One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF (quotes doubled). */
export function csvField(text: string): string {
  if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** One CSV line (CRLF-free: lines end with \n) of cell values; null is an empty cell. */
export function csvLine(values: unknown[]): string {
  return `${values.map((v) => csvField(cellText(v))).join(",")}\n`;
}

/** The CSV rows of records for the given column paths. */
export function csvRows(columns: string[], records: Iterable<Record<string, unknown>>): string {
  let out = "";
  for (const record of records) out += csvLine(columns.map((c) => valueAt(record, c)));
  return out;
}

export interface CsvRow {
  /** 1-based line number where the row starts in the file. */
  line: number;
  fields: string[];
}

/**
 * A streaming RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks,
 * CRLF or LF, chunks split anywhere. Reports the line each row starts on; a stray or
 * unterminated quote is an error naming its line.
 */
export async function* readCsv(
  chunks: AsyncIterable<string | Uint8Array>,
  onError: (message: string, line: number) => Error,
): AsyncGenerator<CsvRow> {
  const decoder = new TextDecoder();
  // UNQUOTED: in an unquoted field (or at its start); QUOTED: inside quotes;
  // AFTER_QUOTE: a quote inside quotes was seen (a doubled quote or the closing one).
  let state: "UNQUOTED" | "QUOTED" | "AFTER_QUOTE" = "UNQUOTED";
  let field = "";
  let fields: string[] = [];
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  let previousCr = false;
  let first = true;
  let pending: CsvRow | undefined;
  const rows: CsvRow[] = [];
  const endRow = () => {
    fields.push(field);
    rows.push({ line: rowLine, fields });
    fields = [];
    field = "";
  };
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    for (const ch of text) {
      if (first) {
        first = false;
        if (ch === "\uFEFF") continue;
      }
      const newline = ch === "\n" || ch === "\r";
      const crlf = previousCr && ch === "\n";
      previousCr = ch === "\r";
      if (newline && !crlf) line++;
      if (state === "QUOTED") {
        if (ch === '"') state = "AFTER_QUOTE";
        else field += ch;
        continue;
      }
      if (state === "AFTER_QUOTE") {
        if (ch === '"') {
          field += '"';
          state = "QUOTED";
          continue;
        }
        if (ch !== "," && !newline)
          throw onError("text after a closing quote; a quoted field must end at a comma or line end", line);
        state = "UNQUOTED";
      }
      if (crlf) continue; // the \n of a \r\n that already ended the row
      if (ch === ",") {
        fields.push(field);
        field = "";
      } else if (newline) {
        endRow();
        rowLine = line;
      } else if (ch === '"') {
        if (field.length > 0)
          throw onError(
            'a quote (") inside an unquoted field; quote the whole field and double the quote',
            line,
          );
        state = "QUOTED";
        quoteLine = line;
      } else field += ch;
    }
    while (rows.length) {
      pending = rows.shift();
      if (pending) yield pending;
    }
  }
  if (state === "QUOTED") throw onError("a quoted field is never closed", quoteLine);
  if (field.length > 0 || fields.length > 0 || state === "AFTER_QUOTE") {
    fields.push(field);
    yield { line: rowLine, fields };
  }
}
