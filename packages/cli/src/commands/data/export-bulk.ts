import { createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import { writeAll } from "../../framework/io.js";
import { parseMinutes } from "../../framework/parse.js";
import { csvField, csvLine } from "../../format/csv.js";
import { resolveColumns, soqlColumns, valueAt } from "../../format/flatten.js";
import { explainBulkError } from "./bulk-ingest.js";
import { sobjectOf, statementFrom } from "./shared.js";

export default defineCommand({
  summary: "Export a SOQL query's records to a CSV or JSON file with the Bulk API.",
  description: `Runs a Bulk API 2.0 query job and streams its rows into the file (flat memory for
any size). The format comes from --result-format, else from the file's extension.`,
  examples: [
    'sfkit data export bulk --query "SELECT Id, Name, Industry FROM Account" --output-file accounts.csv',
    'sfkit data export bulk -q "SELECT Id FROM Task" --all --output-file tasks.json --wait 30',
  ],
  flags: {
    query: { type: "string", char: "q", placeholder: "soql", summary: "The SOQL statement." },
    file: { type: "string", placeholder: "file", summary: "A file holding the SOQL statement." },
    "output-file": {
      type: "string",
      placeholder: "file",
      required: true,
      summary: "Where to write the records.",
    },
    "result-format": {
      type: "string",
      char: "r",
      options: ["csv", "json"],
      placeholder: "csv|json",
      summary: "File format (default: from the file extension, else csv).",
    },
    all: { type: "boolean", summary: "Include deleted and archived records (queryAll)." },
    wait: {
      type: "string",
      char: "w",
      placeholder: "minutes",
      default: "10",
      summary: "How long to wait for the job.",
    },
  },
  usesOrg: true,
  async run(ctx) {
    const soql = await statementFrom(ctx, "SOQL", ctx.flags);
    const sobject = sobjectOf(soql);
    if (!sobject) throw new UsageError("The query needs FROM <sObject>.");
    const output = resolve(ctx.io.cwd, ctx.flags["output-file"]);
    const format = ctx.flags["result-format"] ?? (/\.json$/i.test(output) ? "json" : "csv");
    const pollTimeout = Math.max(1, parseMinutes("wait", ctx.flags.wait, 10) * 60_000);
    const { client } = await ctx.org();
    const bar = ctx.out.progress("Exporting");
    const stream = createWriteStream(output, { encoding: "utf8" });
    const closed = new Promise<void>((done, fail) => {
      stream.on("finish", done);
      stream.on("error", fail);
    });
    let count = 0;
    let columns: string[] | undefined;
    const fromSoql = soqlColumns(soql);
    try {
      const api = client.bulk2[sobject]!;
      const options = { pollTimeout, ...(ctx.io.signal ? { signal: ctx.io.signal } : {}) };
      const rows = ctx.flags.all ? api.queryAll(soql, options) : api.query(soql, options);
      if (format === "json") await writeAll(stream, "[");
      for await (const row of rows) {
        if (format === "json") {
          await writeAll(stream, `${count ? "," : ""}\n${JSON.stringify(row)}`);
        } else {
          if (!columns) {
            columns = fromSoql ? resolveColumns(fromSoql, row) : Object.keys(row);
            await writeAll(stream, `${columns.map(csvField).join(",")}\n`);
          }
          await writeAll(stream, csvLine(columns.map((c) => valueAt(row, c))));
        }
        count++;
        if (count % 1000 === 0) bar.update(count);
      }
      if (format === "json") await writeAll(stream, `${count ? "\n" : ""}]\n`);
      else if (!columns && fromSoql) await writeAll(stream, `${fromSoql.map(csvField).join(",")}\n`);
      bar.stop();
    } catch (error) {
      bar.stop();
      stream.end();
      await closed.catch(() => {});
      ctx.out.warn(`${output} is incomplete (${count} records written before the error).`);
      throw await explainBulkError(ctx, error, { api: "2", sobject, operation: "query" });
    }
    stream.end();
    await closed;
    if (!ctx.json)
      await ctx.out.print(`Exported ${count} ${sobject} record${count === 1 ? "" : "s"} to ${output}.\n`);
    return { sobject, records: count, outputFile: output, format };
  },
});
