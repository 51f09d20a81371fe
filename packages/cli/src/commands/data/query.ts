import { type WriteStream, createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { STREAMED, defineCommand } from "../../framework/command.js";
import { Output } from "../../framework/output.js";
import { CliError, UsageError } from "../../framework/errors.js";
import { parseInteger } from "../../framework/parse.js";
import { soqlColumns } from "../../format/flatten.js";
import { RecordsWriter } from "../../format/records-writer.js";
import { envelopeError, sobjectOf, statementFrom } from "./shared.js";

export default defineCommand({
  summary: "Run a SOQL query; print a table, CSV, JSON or NDJSON (streamed).",
  description: `Fetches every page of the result and writes each page as it arrives, so that large
results stream with flat memory. Relationship fields become columns such as Account.Name;
in CSV, quotes are doubled and nulls are empty cells. --json (or -r json) prints one
document: { status, result: { totalSize, records, done }, warnings }. If a later page
fails, the document still ends properly, with "done": false and the error after the
records, and the exit code is non-zero.`,
  examples: [
    'sfkit data query "SELECT Id, Name, Account.Name FROM Contact LIMIT 10"',
    "# CSV for a spreadsheet",
    'sfkit data query "SELECT Id, Email FROM Contact" -r csv > contacts.csv',
    "# One JSON object per line, for jq or a pipeline",
    'sfkit data query "SELECT Id, Name FROM Account" -r ndjson | jq -r .Name',
    "# Deleted and archived rows too (queryAll)",
    'sfkit data query "SELECT Id FROM Task WHERE IsDeleted = true" --all',
    "# Millions of rows through the Bulk API 2.0",
    'sfkit data query "SELECT Id, Name FROM Account" --bulk -r csv > accounts.csv',
    "sfkit data query --file report.soql -o uat --json",
    "# Straight into a file, with a one-line summary on the terminal",
    'sfkit data query "SELECT Id, Name FROM Account" -r csv --output-file accounts.csv',
  ],
  args: [{ name: "soql", summary: "The SOQL statement (or use --query / --file)." }],
  flags: {
    query: { type: "string", char: "q", placeholder: "soql", summary: "The SOQL statement." },
    file: { type: "string", char: "f", placeholder: "file", summary: "A file holding the SOQL statement." },
    all: { type: "boolean", summary: "Include deleted and archived records (queryAll)." },
    bulk: { type: "boolean", summary: "Use the Bulk API 2.0 (for very large results)." },
    "output-file": {
      type: "string",
      placeholder: "file",
      summary: "Write the records to this file (with -r csv, json or ndjson) instead of stdout.",
    },
    "batch-size": {
      type: "string",
      placeholder: "200-2000",
      summary: "Records per page (REST; Sforce-Query-Options batchSize).",
    },
  },
  usesOrg: true,
  resultFormats: ["human", "csv", "json", "ndjson"],
  async run(ctx) {
    const soql = await statementFrom(ctx, "SOQL", ctx.flags);
    const outputFile = ctx.flags["output-file"];
    const format = outputFile ? ctx.format : ctx.json ? "json" : ctx.format;
    let file: { path: string; stream: WriteStream; closed: Promise<void> } | undefined;
    if (outputFile) {
      if (format === "human")
        throw new UsageError(
          "--output-file needs --result-format csv, json or ndjson (a table is for the terminal).",
        );
      const path = resolve(ctx.io.cwd, outputFile);
      const stream = createWriteStream(path, { encoding: "utf8" });
      const closed = new Promise<void>((done, fail) => {
        stream.on("finish", done);
        stream.on("error", fail);
      });
      file = { path, stream, closed };
    }
    const target = file ? new Output({ ...ctx.io, stdout: file.stream }, false) : ctx.out;
    const writer = new RecordsWriter(target, format, soqlColumns(soql));
    const closeFile = async () => {
      if (!file) return;
      file.stream.end();
      await file.closed;
    };
    const batchSize = parseInteger("batch-size", ctx.flags["batch-size"], 200, 2000);
    const { client } = await ctx.org();
    const signal = ctx.io.signal;
    try {
      if (ctx.flags.bulk) {
        const sobject = sobjectOf(soql);
        if (!sobject) throw new UsageError("--bulk needs a SOQL statement with FROM <sObject>.");
        const api = client.bulk2[sobject]!;
        const rows = ctx.flags.all ? api.queryAll(soql) : api.query(soql);
        await writer.start(undefined);
        let batch: Record<string, unknown>[] = [];
        for await (const row of rows as AsyncIterable<Record<string, unknown>>) {
          batch.push(row);
          if (batch.length >= 2000) {
            await writer.page(batch);
            batch = [];
          }
          if (signal?.aborted) throw signal.reason;
        }
        await writer.page(batch);
      } else {
        let page = await client.query(soql, {
          includeDeleted: ctx.flags.all,
          ...(batchSize ? { batchSize } : {}),
          ...(signal ? { signal } : {}),
        });
        await writer.start(page.totalSize);
        await writer.page(page.records as Record<string, unknown>[]);
        while (!page.done && page.nextRecordsUrl) {
          page = await client.queryMore(page.nextRecordsUrl, {
            identifierIsUrl: true,
            ...(signal ? { signal } : {}),
          });
          await writer.page(page.records as Record<string, unknown>[]);
        }
      }
    } catch (error) {
      if (file) {
        if (writer.started) await writer.finish(ctx.out.warnings, envelopeError(error));
        await closeFile().catch(() => {});
        ctx.out.warn(`${file.path} is incomplete: ${writer.count} records were written before the error.`);
        throw error;
      }
      if (format !== "json" && writer.started) {
        ctx.out.warn(`The output is incomplete: ${writer.count} records were written before the error.`);
      }
      if (format !== "json" || !writer.started) throw error;
      // Part of the result is out: close the JSON document with the error, then fail.
      const info = envelopeError(error);
      await writer.finish(ctx.out.warnings, info);
      throw new CliError(info.message, { exitCode: info.status, code: info.code, cause: error }).silence();
    }
    await writer.finish(ctx.out.warnings);
    if (file) {
      await closeFile();
      if (!ctx.json) await ctx.out.print(`Wrote ${writer.count} records to ${file.path}.\n`);
      return { outputFile: file.path, format, totalSize: writer.count };
    }
    return format === "json" ? STREAMED : { totalSize: writer.count };
  },
});
