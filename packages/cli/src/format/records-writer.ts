import type { ResultFormat } from "../framework/command.js";
import type { Output } from "../framework/output.js";
import { csvField, csvLine } from "./csv.js";
import { columnsOf, mergeColumns, resolveColumns, valueAt } from "./flatten.js";
import { TableWriter } from "./table.js";

type Row = Record<string, unknown>;

/**
 * Writes records as they arrive, page by page, in one of the result formats. Memory stays
 * flat: only the first page is held (to size the table's columns).
 *
 * The JSON form is the one envelope: `{"result":{"totalSize":N,"records":[...],"done":true},
 * "status":0,"warnings":[]}`; when a later page fails, the document still closes, with
 * `"done":false` and the error's status, name, code and message after the records.
 */
export class RecordsWriter {
  readonly #out: Output;
  readonly #format: ResultFormat;
  readonly #soqlColumns: string[] | undefined;
  #columns: string[] | undefined;
  #table: TableWriter | undefined;
  #count = 0;
  #started = false;
  #totalSize: number | undefined;

  constructor(out: Output, format: ResultFormat, soqlColumns: string[] | undefined) {
    this.#out = out;
    this.#format = format;
    this.#soqlColumns = soqlColumns;
  }

  /** Whether anything was written (a JSON document is then open). */
  get started(): boolean {
    return this.#started;
  }

  get count(): number {
    return this.#count;
  }

  #resolve(records: Row[]): string[] {
    if (this.#columns) return this.#columns;
    const first = records[0];
    if (this.#soqlColumns) this.#columns = resolveColumns(this.#soqlColumns, first);
    else this.#columns = mergeColumns(first ? columnsOf(first) : [], records.slice(1));
    return this.#columns;
  }

  /** Call once with the total, before the first page (JSON needs it first). */
  async start(totalSize: number | undefined): Promise<void> {
    this.#totalSize = totalSize;
  }

  async page(records: Row[]): Promise<void> {
    const first = !this.#started;
    this.#started = true;
    switch (this.#format) {
      case "json": {
        let text = first
          ? `{"result":{${this.#totalSize === undefined ? "" : `"totalSize":${this.#totalSize},`}"records":[`
          : "";
        records.forEach((record, i) => {
          text += `${first && i === 0 && this.#count === 0 ? "\n" : ",\n"}${JSON.stringify(record)}`;
        });
        await this.#out.print(text);
        break;
      }
      case "ndjson": {
        await this.#out.print(records.map((r) => `${JSON.stringify(r)}\n`).join(""));
        break;
      }
      case "csv": {
        const columns = this.#resolve(records);
        let text = first && columns.length ? `${columns.map(csvField).join(",")}\n` : "";
        for (const record of records) text += csvLine(columns.map((c) => valueAt(record, c)));
        await this.#out.print(text);
        break;
      }
      default: {
        if (records.length === 0 && first) break;
        const columns = this.#resolve(records);
        this.#table ??= new TableWriter(columns, records);
        await this.#out.print((first ? this.#table.header() : "") + this.#table.rows(records));
      }
    }
    this.#count += records.length;
  }

  /** Ends the output; `error` when a page failed (the JSON document still closes properly). */
  async finish(
    warnings: string[],
    error?: { status: number; name: string; code: string; message: string },
  ): Promise<void> {
    if (!this.#started) await this.page([]);
    switch (this.#format) {
      case "json": {
        const tail = error
          ? {
              status: error.status,
              name: error.name,
              code: error.code,
              message: error.message,
              exitCode: error.status,
              warnings,
            }
          : { status: 0, warnings };
        const rest = JSON.stringify(tail).slice(1);
        await this.#out.print(`${this.#count ? "\n" : ""}],"done":${error ? "false" : "true"}},${rest}\n`);
        break;
      }
      case "human": {
        if (!error)
          await this.#out.print(
            `${this.#count ? "" : "No records found.\n"}Total number of records retrieved: ${this.#count}.\n`,
          );
        break;
      }
      default:
        break;
    }
  }
}
