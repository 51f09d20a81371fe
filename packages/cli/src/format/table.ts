import { cellText, isChildResult, valueAt } from "./flatten.js";

const MAX_CELL = 60;

/** Cell text for people: one line, long values cut with an ellipsis, subqueries as a count. */
export function humanCell(value: unknown): string {
  if (isChildResult(value)) return `${value.totalSize} record${value.totalSize === 1 ? "" : "s"}`;
  const text = cellText(value).replace(/\r?\n/g, "⏎");
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** A table whose column widths come from a first batch of rows; later rows reuse them. */
export class TableWriter {
  readonly columns: string[];
  readonly widths: number[];

  constructor(columns: string[], sample: Iterable<Record<string, unknown>>) {
    this.columns = columns;
    this.widths = columns.map((c) => c.length);
    for (const record of sample) {
      columns.forEach((column, i) => {
        const width = humanCell(valueAt(record, column)).length;
        if (width > this.widths[i]!) this.widths[i] = width;
      });
    }
  }

  header(): string {
    const head = this.columns.map((c, i) => c.padEnd(this.widths[i]!)).join("  ");
    const rule = this.widths.map((w) => "─".repeat(w)).join("  ");
    return `${head.trimEnd()}\n${rule}\n`;
  }

  rows(records: Iterable<Record<string, unknown>>): string {
    let out = "";
    for (const record of records) {
      out += `${this.columns
        .map((c, i) => humanCell(valueAt(record, c)).padEnd(this.widths[i]!))
        .join("  ")
        .trimEnd()}\n`;
    }
    return out;
  }
}

/** A whole table at once. */
export function renderTable(columns: string[], records: Array<Record<string, unknown>>): string {
  const writer = new TableWriter(columns, records);
  return writer.header() + writer.rows(records);
}

/** `key  value` lines, for one object (org display, a record). */
export function renderKeyValue(object: Record<string, unknown>): string {
  const entries = Object.entries(object).filter(([key]) => key !== "attributes");
  const width = Math.max(0, ...entries.map(([k]) => k.length)) + 2;
  return entries
    .map(
      ([key, value]) =>
        `${key.padEnd(width)}${value === null || value === undefined ? "" : humanCell(value)}`,
    )
    .join("\n")
    .concat("\n");
}
