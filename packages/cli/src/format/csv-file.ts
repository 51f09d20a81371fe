import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { fileReadError } from "@sfkit/core";
import { UsageError } from "../framework/errors.js";
import { readCsv } from "./csv.js";

export interface CsvCheck {
  path: string;
  header: string[];
  rows: number;
  /** "CRLF" when the header line ends with \r\n. */
  lineEnding: "LF" | "CRLF";
  /** The data rows as records, when asked for (Bulk API 1.0 sends JSON). */
  records?: Record<string, unknown>[];
}

/**
 * Reads a CSV file through once, before anything is sent: the header must be non-empty
 * with unique names (and hold the columns the operation needs), and every row must have
 * as many fields as the header. Errors name the file and line, and say that nothing was sent.
 */
export async function checkCsvFile(
  path: string,
  shown: string,
  options: { requiredColumns?: string[]; collect?: boolean; option?: string } = {},
): Promise<CsvCheck> {
  const fail = (message: string, line?: number) =>
    new UsageError(`${shown}${line ? ` line ${line}` : ""}: ${message}. Nothing was sent.`, {
      code: "ERR_BAD_INPUT_FILE",
    });
  try {
    const info = await stat(path);
    if (!info.isFile()) throw fail("is not a file");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw fileReadError({
      path: shown,
      option: options.option ?? "--file",
      hint: "Nothing was sent.",
      cause: error,
    });
  }
  let lineEnding: "LF" | "CRLF" = "LF";
  {
    const head = createReadStream(path, { start: 0, end: 64 * 1024 });
    let text = "";
    for await (const chunk of head) text += chunk.toString("utf8");
    const newline = text.indexOf("\n");
    if (newline > 0 && text[newline - 1] === "\r") lineEnding = "CRLF";
  }
  let header: string[] | undefined;
  let rows = 0;
  let blankLine: number | undefined;
  const records: Record<string, unknown>[] | undefined = options.collect ? [] : undefined;
  for await (const row of readCsv(createReadStream(path), (message, line) => fail(message, line))) {
    if (!header) {
      header = row.fields.map((f) => f.trim());
      if (header.length === 0 || header.every((h) => h === ""))
        throw fail("the header line is empty", row.line);
      const empty = header.indexOf("");
      if (empty >= 0) throw fail(`column ${empty + 1} of the header has no name`, row.line);
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name.toLowerCase())) throw fail(`the header names ${name} twice`, row.line);
        seen.add(name.toLowerCase());
      }
      for (const required of options.requiredColumns ?? []) {
        if (!header.some((h) => h.toLowerCase() === required.toLowerCase()))
          throw fail(
            `the header has no ${required} column, which this operation needs (header: ${header.join(",")})`,
            row.line,
          );
      }
      continue;
    }
    if (row.fields.length === 1 && row.fields[0] === "" && header.length > 1) {
      blankLine ??= row.line;
      continue;
    }
    if (blankLine !== undefined) throw fail("empty line inside the data; remove it", blankLine);
    if (row.fields.length !== header.length) {
      throw fail(
        `${row.fields.length} field${row.fields.length === 1 ? "" : "s"}, but the header has ${header.length}`,
        row.line,
      );
    }
    rows++;
    if (records) {
      const record: Record<string, unknown> = {};
      header.forEach((name, i) => {
        const value = row.fields[i]!;
        // Bulk CSV semantics: an empty cell leaves the field as it is, #N/A sets it to null.
        if (value === "#N/A") record[name] = null;
        else if (value !== "") record[name] = value;
      });
      records.push(record);
    }
  }
  if (!header) throw fail("the file is empty; it needs a header line and data rows");
  if (rows === 0) throw fail("there are no data rows under the header", 2);
  return { path, header, rows, lineEnding, ...(records ? { records } : {}) };
}
