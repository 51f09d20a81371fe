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
 * CRLF or LF. Reports the line each row starts on; an unterminated quote is an error
 * naming its line.
 */
export async function* readCsv(
  chunks: AsyncIterable<string | Uint8Array>,
  onError: (message: string, line: number) => Error,
): AsyncGenerator<CsvRow> {
  const decoder = new TextDecoder();
  let field = "";
  let fields: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let rowLine = 1;
  let pendingCr = false;
  let sawAny = false;
  let quoteLine = 1;
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i++) {
      let ch = text[i]!;
      if (!sawAny && ch === "\uFEFF") {
        sawAny = true;
        continue;
      }
      sawAny = true;
      if (pendingCr) {
        pendingCr = false;
        if (ch === "\n") continue;
      }
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === text.length) {
            // the next chunk decides; treat as closing quote unless it starts with a quote
            quoted = false;
            afterQuote = true;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (ch === "\n") line++;
          else if (ch === "\r") {
            line++;
            if (text[i + 1] === "\n") {
              field += "\r";
              ch = "\n";
              i++;
            }
          }
          field += ch;
        }
        continue;
      }
      if (ch === '"') {
        if (afterQuote) {
          // a doubled quote split across chunks
          field += '"';
          quoted = true;
          afterQuote = false;
          continue;
        }
        if (field.length > 0)
          throw onError(
            `a quote (") inside an unquoted field; quote the whole field and double the quote`,
            line,
          );
        quoted = true;
        quoteLine = line;
        continue;
      }
      if (ch === ",") {
        fields.push(field);
        field = "";
        afterQuote = false;
        continue;
      }
      if (ch === "\n" || ch === "\r") {
        fields.push(field);
        yield { line: rowLine, fields };
        fields = [];
        field = "";
        afterQuote = false;
        line++;
        rowLine = line;
        if (ch === "\r") pendingCr = true;
        continue;
      }
      if (afterQuote)
        throw onError("text after a closing quote; a quoted field must end at a comma or line end", line);
      field += ch;
    }
  }
  if (quoted) throw onError("a quoted field is never closed", quoteLine);
  if (field.length > 0 || fields.length > 0) {
    fields.push(field);
    yield { line: rowLine, fields };
  }
}
