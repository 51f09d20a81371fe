import { resolve } from "node:path";
import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import { parseMinutes } from "../../framework/parse.js";
import {
  type IngestOperation,
  explainBulkError,
  finishIngest,
  lastJob,
  summaryFrom2,
} from "./bulk-ingest.js";

export default defineCommand({
  summary: "Check on a bulk job started earlier and fetch its results.",
  description: `Waits for the job (up to --wait), then reports it as the command that started it
would have: result files, exit code 1 when any row failed, failures in --json.`,
  examples: [
    "sfkit data resume --job-id 750XX0000000001AAA",
    "sfkit data resume --use-most-recent --wait 30",
    "sfkit data resume --job-id 750XX0000000001AAA --api 1 --json",
  ],
  flags: {
    "job-id": {
      type: "string",
      char: "i",
      placeholder: "id",
      summary: "The job id (printed by the command that started it).",
    },
    "use-most-recent": { type: "boolean", summary: "Use the job the last bulk command started." },
    api: {
      type: "string",
      options: ["1", "2"],
      placeholder: "1|2",
      summary: "Bulk API version of the job (default: as noted for --use-most-recent, else 2).",
    },
    wait: {
      type: "string",
      char: "w",
      placeholder: "minutes",
      default: "10",
      summary: "How long to wait for the job to finish.",
    },
    "results-dir": {
      type: "string",
      placeholder: "dir",
      summary: "Where to write the result files (default: the current directory).",
    },
  },
  usesOrg: true,
  async run(ctx) {
    let jobId = ctx.flags["job-id"];
    let api = ctx.flags.api as "1" | "2" | undefined;
    let sobject: string | null = null;
    let operation = "ingest";
    if (ctx.flags["use-most-recent"]) {
      if (jobId) throw new UsageError("Give --job-id or --use-most-recent, not both.");
      const last = await lastJob(ctx);
      if (!last) throw new UsageError("No bulk job was noted yet: give --job-id.");
      jobId = last.jobId;
      api ??= last.api;
      sobject = last.sobject;
      operation = last.operation;
    }
    if (!jobId) throw new UsageError("Say which job: --job-id <id> or --use-most-recent.");
    api ??= "2";
    const pollTimeout = Math.max(1, parseMinutes("wait", ctx.flags.wait, 10) * 60_000);
    const { client } = await ctx.org();
    const poll = { pollTimeout, ...(ctx.io.signal ? { signal: ctx.io.signal } : {}) };
    const resultsDir = resolve(ctx.io.cwd, ctx.flags["results-dir"] ?? ".");
    try {
      if (api === "2") {
        const info = await client.bulk2.job(jobId);
        const result = await client.bulk2.resume(jobId, poll);
        return await finishIngest(
          ctx,
          summaryFrom2(result, (info.operation ?? operation) as IngestOperation, info.object ?? sobject),
          undefined,
          resultsDir,
        );
      }
      const info = await client.bulk.job(jobId);
      const results = (await client.bulk.resume(jobId, poll)) as Array<Record<string, unknown>>;
      const dml = results.every((r) => "success" in r);
      if (!dml) {
        if (!ctx.json)
          await ctx.out.print(
            `Job ${jobId} is done: ${results.length} query rows (use sfkit data export bulk to save them).\n`,
          );
        return { jobId, state: String(info.state ?? ""), rows: results.length };
      }
      const successful = results
        .filter((r) => r.success)
        .map((r) => ({ sf__Id: r.id ?? "", sf__Created: String(r.created) }));
      const failed = results
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => !r.success)
        .map(({ r, i }) => ({
          sf__Id: r.id ?? "",
          sf__Error: (r.errors as Array<{ statusCode: string; message: string; fields: string[] }>)
            .map((e) => `${e.statusCode}:${e.message}:${e.fields.join(",")} --`)
            .join(" "),
          sf__Row: i + 1,
        }));
      return await finishIngest(
        ctx,
        {
          api: "1",
          operation: String(info.operation ?? operation) as "insert",
          sobject: String(info.object ?? sobject ?? "") || null,
          jobId,
          jobIds: [jobId],
          state: String(info.state ?? ""),
          processed: results.length,
          successful: successful.length,
          failed: failed.length,
          unprocessed: 0,
          failures: failed,
          successFile: null,
          failureFile: null,
          rows: { successful, failed, unprocessed: [] },
        },
        undefined,
        resultsDir,
      );
    } catch (error) {
      throw await explainBulkError(ctx, error, { api, sobject, operation });
    }
  },
});
