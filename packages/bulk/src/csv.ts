import { Readable } from "node:stream";
import { ConfigurationError } from "@sfkit/core";
import { parse } from "csv-parse";
import { stringify as stringifySync } from "csv-stringify/sync";
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

function addColumns(record: Record<string, unknown>, prefix: string, columns: Set<string>): void {
  for (const key in record) {
    const value = record[key];
    if (isPlainObject(value)) {
      if (key !== "attributes") addColumns(value, prefix ? `${prefix}.${key}` : key, columns);
    } else columns.add(prefix ? `${prefix}.${key}` : key);
  }
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
    addColumns(record, "", columns);
    index++;
  }
  return [...columns];
}

/** Reads a column from a record: a flat key first, else the path through nested objects. */
function columnReader(column: string): (record: Record<string, unknown>) => unknown {
  const path = column.split(".");
  if (path.length === 1) return (record) => record[column];
  return (record) => {
    if (column in record) return record[column];
    let value: unknown = record;
    for (const part of path) {
      if (!isPlainObject(value)) return undefined;
      value = value[part];
    }
    return value;
  };
}

const ROWS_PER_CHUNK = 2000;

/**
 * Records as a CSV byte stream, header first: csv-stringify (RFC 4180 quoting), run on
 * slices of rows so that a million records take seconds, not minutes.
 */
export function recordsToCsv(
  records: ReadonlyArray<Record<string, unknown>>,
  options: { delimiter: string; lineEnding: string; columns?: string[] },
): Readable {
  const columns = options.columns ?? unionColumns(records);
  if (columns.length === 0) {
    throw new ConfigurationError("The records have no fields: give at least one field per record.");
  }
  const readers = columns.map(columnReader);
  const settings = {
    delimiter: options.delimiter,
    record_delimiter: options.lineEnding === "\r\n" ? ("windows" as const) : ("unix" as const),
    // csv-stringify quotes the record delimiter only; a lone CR (or LF in CRLF data) must be quoted too
    quoted_match: /[\r\n]/,
  };
  function* chunks(): Generator<Buffer> {
    yield Buffer.from(stringifySync([columns], settings));
    for (let start = 0; start < records.length; start += ROWS_PER_CHUNK) {
      const rows: string[][] = [];
      const end = Math.min(records.length, start + ROWS_PER_CHUNK);
      for (let i = start; i < end; i++) {
        const record = records[i]!;
        if (!isPlainObject(record)) {
          throw new ConfigurationError(
            `Record ${i} is not an object: bulk records are plain objects of field values.`,
          );
        }
        const row = new Array<string>(columns.length);
        for (let c = 0; c < columns.length; c++) row[c] = formatCell(readers[c]!(record), columns[c]!);
        rows.push(row);
      }
      yield Buffer.from(stringifySync(rows, settings));
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * The same cells, one CSV line a record (no line ending), for Bulk 1.0, which sizes each
 * batch record by record. Quoting as csv-stringify does for Bulk 2.0: quotes doubled, a field
 * with a comma, quote, CR or LF quoted.
 */
export function recordsToCsvLines(
  records: ReadonlyArray<Record<string, unknown>>,
  columns: string[],
): { header: string; lines: string[] } {
  const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const readers = columns.map(columnReader);
  const lines = records.map((record) =>
    columns.map((column, c) => quote(formatCell(readers[c]!(record), column))).join(","),
  );
  return { header: columns.map(quote).join(","), lines };
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
