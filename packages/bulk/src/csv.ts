import { Readable } from "node:stream";
import { ConfigurationError } from "@sfkit/core";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";
import type { BulkRowError, ColumnDelimiter, LineEnding } from "./types.js";

export const DELIMITERS: Record<ColumnDelimiter, string> = {
  COMMA: ",",
  BACKQUOTE: "`",
  CARET: "^",
  PIPE: "|",
  SEMICOLON: ";",
  TAB: "\t",
};

export const LINE_ENDINGS: Record<LineEnding, string> = { LF: "\n", CRLF: "\r\n" };

export function checkDelimiter(value: string | undefined): ColumnDelimiter {
  const name = (value ?? "COMMA") as ColumnDelimiter;
  if (!(name in DELIMITERS)) {
    throw new ConfigurationError(
      `columnDelimiter ${JSON.stringify(value)} is not one Salesforce accepts: use ${Object.keys(DELIMITERS).join(", ")}.`,
    );
  }
  return name;
}

export function checkLineEnding(value: string | undefined): LineEnding | undefined {
  if (value === undefined) return undefined;
  if (value !== "LF" && value !== "CRLF") {
    throw new ConfigurationError(`lineEnding ${JSON.stringify(value)} is not valid: use "LF" or "CRLF".`);
  }
  return value;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof Date) &&
  !(value instanceof Uint8Array);

/**
 * One cell of Bulk CSV. `null` is `#N/A` (set the field to null); `undefined` is an empty
 * cell (leave the field as it is); Dates are ISO-8601 UTC; arrays are multi-select picklists.
 */
export function formatCell(value: unknown, column: string): string {
  if (value === undefined) return "";
  if (value === null) return "#N/A";
  switch (typeof value) {
    case "string":
      return value;
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "number":
      if (!Number.isFinite(value)) {
        throw new ConfigurationError(
          `Field ${column} is ${value}, which Salesforce cannot store: send null (cleared) or a finite number.`,
        );
      }
      return String(value);
    default:
      break;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new ConfigurationError(
        `Field ${column} is an invalid Date: give a valid Date or an ISO-8601 string.`,
      );
    }
    return value.toISOString();
  }
  if (Array.isArray(value)) return value.map((item) => formatCell(item, column)).join(";");
  throw new ConfigurationError(
    `Field ${column} holds a ${value?.constructor?.name ?? typeof value}; bulk CSV cells take strings, numbers, booleans, Dates, null, or a nested object for a relationship (Account: { Ext__c: "x" }).`,
  );
}

/** Flattens `{ Account: { Ext__c: "x" } }` into `Account.Ext__c`, skipping `attributes`. */
export function flattenRecord(
  record: Record<string, unknown>,
  prefix = "",
  out: Map<string, unknown> = new Map(),
) {
  for (const [key, value] of Object.entries(record)) {
    if (key === "attributes" && isPlainObject(value)) continue;
    const name = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value)) flattenRecord(value, name, out);
    else out.set(name, value);
  }
  return out;
}

/** The header: the union of every record's (flattened) keys, in first-seen order. */
export function unionColumns(records: Iterable<Record<string, unknown>>): string[] {
  const columns = new Set<string>();
  let index = 0;
  for (const record of records) {
    if (!isPlainObject(record)) {
      throw new ConfigurationError(
        `Record ${index} is not an object: bulk records are plain objects of field values.`,
      );
    }
    for (const key of flattenRecord(record).keys()) columns.add(key);
    index++;
  }
  return [...columns];
}

/** Records as a CSV byte stream (csv-stringify: RFC 4180 quoting), header first. */
export function recordsToCsv(
  records: ReadonlyArray<Record<string, unknown>>,
  options: { delimiter: string; lineEnding: string; columns?: string[] },
): Readable {
  const columns = options.columns ?? unionColumns(records);
  if (columns.length === 0) {
    throw new ConfigurationError("The records have no fields: give at least one field per record.");
  }
  function* rows(): Generator<string[]> {
    yield columns;
    for (const record of records) {
      const flat = flattenRecord(record);
      yield columns.map((column) => formatCell(flat.get(column), column));
    }
  }
  return Readable.from(rows(), { objectMode: true }).pipe(
    stringify({
      delimiter: options.delimiter,
      record_delimiter: options.lineEnding === "\r\n" ? "windows" : "unix",
    }),
  );
}

/** The same, as one string (Bulk 1.0 batches are at most 10 MB). */
export function recordsToCsvString(
  records: ReadonlyArray<Record<string, unknown>>,
  columns: string[],
): string {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = [columns.map(quote).join(",")];
  for (const record of records) {
    const flat = flattenRecord(record);
    lines.push(columns.map((column) => quote(formatCell(flat.get(column), column))).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Parses a CSV byte stream into row objects keyed by the header, streamed (csv-parse). A
 * header-only or empty body gives no rows.
 */
export async function* parseCsvRows(
  body: AsyncIterable<Uint8Array | string>,
  options: { delimiter?: string; lineEnding?: string } = {},
): AsyncGenerator<Record<string, string>> {
  const parser = parse({
    columns: true,
    delimiter: options.delimiter ?? ",",
    ...(options.lineEnding ? { record_delimiter: options.lineEnding } : {}),
    bom: true,
    relax_column_count: false,
    skip_empty_lines: true,
  });
  const source = body instanceof Readable ? body : Readable.from(body, { objectMode: false });
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const row of parser) yield row as Record<string, string>;
  } finally {
    // an early `break` by the consumer releases the HTTP body too
    if (!source.destroyed) source.destroy();
  }
}

/** Parses Bulk 1.0's CSV error cell `CODE:message:field1,field2 --`. */
export function parseErrorCell(cell: string): BulkRowError[] {
  const text = cell.trim();
  if (!text) return [];
  const body = text.endsWith("--") ? text.slice(0, -2).trimEnd() : text;
  const first = body.indexOf(":");
  if (first < 0) return [{ statusCode: "UNKNOWN_EXCEPTION", message: body, fields: [] }];
  const statusCode = body.slice(0, first);
  const rest = body.slice(first + 1);
  const last = rest.lastIndexOf(":");
  const message = last < 0 ? rest : rest.slice(0, last);
  const fieldText = last < 0 ? "" : rest.slice(last + 1).trim();
  return [{ statusCode, message, fields: fieldText ? fieldText.split(",").map((f) => f.trim()) : [] }];
}
