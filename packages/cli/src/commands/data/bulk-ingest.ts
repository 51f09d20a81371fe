import { createWriteStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { CommandContext, FlagSpec, Flags } from "../../framework/command.js";
import { CliError, ExitCode, UsageError, exitCodeFor, isSfkitError } from "../../framework/errors.js";
import { writeAll } from "../../framework/io.js";
import { parseInteger, parseMinutes } from "../../framework/parse.js";
import { checkCsvFile } from "../../format/csv-file.js";
import { csvField, csvLine } from "../../format/csv.js";
import type { CliClient } from "../../org/connect.js";
import { checkSobject } from "./record-shared.js";

export type IngestOperation = "insert" | "update" | "upsert" | "delete" | "hardDelete";

export const bulkFlags = {
  sobject: {
    type: "string",
    char: "s",
    placeholder: "sObject",
    required: true,
    summary: "The sObject's API name.",
  },
  file: {
    type: "string",
    char: "f",
    placeholder: "file.csv",
    required: true,
    summary: "The CSV file (header line of field names, then one row per record).",
  },
  api: {
    type: "string",
    options: ["1", "2"],
    default: "2",
    placeholder: "1|2",
    summary: "Bulk API version.",
  },
  wait: {
    type: "string",
    char: "w",
    placeholder: "minutes",
    default: "10",
    summary: "How long to wait for the job; then the job keeps running and `sfkit data resume` picks it up.",
  },
  "results-dir": {
    type: "string",
    placeholder: "dir",
    summary: "Where to write the result files (default: the current directory).",
  },
} as const satisfies Flags;

export const externalIdFlag = {
  type: "string",
  char: "e",
  placeholder: "field",
  required: true,
  summary: "The external id field that matches rows to records (or Id).",
} as const satisfies FlagSpec;

export interface IngestSummary {
  api: "1" | "2";
  operation: IngestOperation;
  sobject: string | null;
  jobId: string;
  jobIds: string[];
  state: string;
  processed: number;
  successful: number;
  failed: number;
  unprocessed: number;
  /** Failed rows: the row's fields, sf__Id, sf__Error, and its 1-based row number when known. */
  failures: Array<Record<string, unknown>>;
  successFile: string | null;
  failureFile: string | null;
}

const LAST_JOB = "bulk-last-job.json";

interface LastJob {
  jobId: string;
  api: "1" | "2";
  sobject: string | null;
  operation: string;
  startedAt: string;
}

async function rememberJob(ctx: CommandContext, job: LastJob): Promise<void> {
  try {
    await mkdir(ctx.config.dir, { recursive: true, mode: 0o700 });
    await writeFile(join(ctx.config.dir, LAST_JOB), `${JSON.stringify(job, null, 2)}\n`, { mode: 0o600 });
  } catch {
    ctx.out.warn(`Could not note job ${job.jobId} for --use-most-recent.`);
  }
}

export async function lastJob(ctx: CommandContext): Promise<LastJob | undefined> {
  try {
    return JSON.parse(await readFile(join(ctx.config.dir, LAST_JOB), "utf8")) as LastJob;
  } catch {
    return undefined;
  }
}

async function writeResultFile(
  path: string,
  rows: Iterable<Record<string, unknown>>,
  columns: string[],
): Promise<void> {
  const stream = createWriteStream(path, { encoding: "utf8" });
  const done = new Promise<void>((resolveDone, reject) => {
    stream.on("finish", resolveDone);
    stream.on("error", reject);
  });
  await writeAll(stream, `${columns.map(csvField).join(",")}\n`);
  for (const row of rows) await writeAll(stream, csvLine(columns.map((c) => row[c] ?? null)));
  stream.end();
  await done;
}

function columnsFor(rows: Array<Record<string, unknown>>, first: string[]): string[] {
  const columns = [...first];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

function progressHandler(ctx: CommandContext, total: number | undefined) {
  const bar = ctx.out.progress("Bulk job");
  let uploaded = 0;
  const jobIds: string[] = [];
  return {
    bar,
    jobIds,
    onProgress(event: {
      type: string;
      rows?: number;
      processed?: number;
      failed?: number;
      state?: string;
      jobId?: string;
    }) {
      if (event.type === "jobCreated" && event.jobId && !jobIds.includes(event.jobId))
        jobIds.push(event.jobId);
      if (event.type === "jobCreated") bar.update(0, total, `job ${event.jobId} created`);
      else if (event.type === "uploaded") {
        uploaded += event.rows ?? 0;
        bar.update(0, total ?? uploaded, "uploaded, waiting");
      } else if (event.type === "state")
        bar.update(
          event.processed ?? 0,
          total ?? uploaded,
          `${event.state}${event.failed ? `, ${event.failed} failed` : ""}`,
        );
    },
  };
}

/** Runs one ingest from a CSV file and reports it (F26: any failed row → exit 1, listed in --json). */
export async function runIngest(
  ctx: CommandContext<typeof bulkFlags & { "external-id"?: FlagSpec; "hard-delete"?: FlagSpec }>,
  operation: IngestOperation,
): Promise<IngestSummary> {
  const flags = ctx.flags as Record<string, string | boolean | undefined>;
  const sobject = checkSobject(flags.sobject as string);
  const api = flags.api as "1" | "2";
  const waitMs = parseMinutes("wait", flags.wait as string, 10) * 60_000;
  const externalId = flags["external-id"] as string | undefined;
  const file = resolve(ctx.io.cwd, flags.file as string);
  const required =
    operation === "upsert"
      ? [externalId!]
      : operation === "update" || operation === "delete" || operation === "hardDelete"
        ? ["Id"]
        : [];
  const checked = await checkCsvFile(file, flags.file as string, {
    requiredColumns: required,
    collect: api === "1",
  });
  const resultsDir = resolve(ctx.io.cwd, (flags["results-dir"] as string | undefined) ?? ".");
  const { client } = await ctx.org();
  const { bar, onProgress, jobIds } = progressHandler(ctx, checked.rows);
  const poll = {
    pollTimeout: Math.max(1, waitMs),
    onProgress,
    ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
  };
  let summary: IngestSummary;
  try {
    summary =
      api === "2"
        ? await ingest2(client, sobject, operation, file, externalId, poll)
        : await ingest1(client, sobject, operation, checked.records!, externalId, poll);
    bar.stop();
  } catch (error) {
    bar.stop();
    if (exitCodeFor(error) === ExitCode.interrupted && jobIds.length) {
      // Ctrl-C stops the waiting, not the jobs: say which ones keep running (F26 kind).
      await rememberJob(ctx, {
        jobId: jobIds[0]!,
        api,
        sobject,
        operation,
        startedAt: new Date().toISOString(),
      });
      const resume = jobIds.map((id) => `sfkit data resume --job-id ${id}${api === "1" ? " --api 1" : ""}`);
      throw new CliError(`Interrupted; job ${jobIds.join(", ")} keeps running in Salesforce.`, {
        code: "ERR_INTERRUPTED",
        exitCode: ExitCode.interrupted,
        data: { jobId: jobIds[0], jobIds, resume },
        actions: [`Check on it: ${resume.join(" ; ")}`],
        cause: error,
      });
    }
    throw await explainBulkError(ctx, error, { api, sobject, operation });
  }
  await rememberJob(ctx, {
    jobId: summary.jobId,
    api,
    sobject,
    operation,
    startedAt: new Date().toISOString(),
  });
  return finishIngest(ctx, summary, checked.header, resultsDir);
}

type Poll = { pollTimeout: number; onProgress: (event: any) => void; signal?: AbortSignal };

async function ingest2(
  client: CliClient,
  sobject: string,
  operation: IngestOperation,
  file: string,
  externalId: string | undefined,
  poll: Poll,
): Promise<
  IngestSummary & {
    rows: {
      successful: Array<Record<string, unknown>>;
      failed: Array<Record<string, unknown>>;
      unprocessed: Array<Record<string, unknown>>;
    };
  }
> {
  const target = client.bulk2[sobject]!;
  const request = { file, ...poll, ...(externalId ? { externalIdField: externalId } : {}) };
  const result =
    operation === "upsert"
      ? await target.upsert({ ...request, externalIdField: externalId! })
      : await target[operation](request);
  return summaryFrom2(result, operation, sobject);
}

/** The summary of a Bulk 2.0 ingest result (a run or a resume): counts, and every failed or unprocessed row. */
export function summaryFrom2(
  result: {
    jobs: Array<Record<string, unknown>>;
    successful: Array<Record<string, unknown>>;
    failed: Array<Record<string, unknown>>;
    unprocessed: Array<Record<string, unknown>>;
  },
  operation: IngestOperation,
  sobject: string | null,
) {
  const jobIds = result.jobs.map((j) => String(j.id));
  const states = [...new Set(result.jobs.map((j) => String(j.state)))];
  const processed = result.jobs.reduce((n, j) => n + Number(j.numberRecordsProcessed ?? 0), 0);
  return {
    api: "2" as const,
    operation,
    sobject,
    jobId: jobIds[0] ?? "",
    jobIds,
    state: states.join(","),
    processed,
    successful: result.successful.length,
    failed: result.failed.length,
    unprocessed: result.unprocessed.length,
    failures: [
      ...result.failed,
      ...result.unprocessed.map((r) => ({
        sf__Id: "",
        sf__Error: "UNPROCESSED:The row was not processed",
        ...r,
      })),
    ],
    successFile: null,
    failureFile: null,
    rows: result,
  };
}

async function ingest1(
  client: CliClient,
  sobject: string,
  operation: IngestOperation,
  records: Record<string, unknown>[],
  externalId: string | undefined,
  poll: Poll,
) {
  const target = client.bulk[sobject]!;
  let jobId = "";
  const onProgress = (event: { type: string; jobId?: string }) => {
    if (event.type === "jobCreated" && event.jobId) jobId = event.jobId;
    poll.onProgress(event);
  };
  const options = { ...poll, onProgress };
  const results =
    operation === "upsert"
      ? await target.upsert(records, externalId!, options)
      : await target[operation](records, options);
  const successful: Array<Record<string, unknown>> = [];
  const failed: Array<Record<string, unknown>> = [];
  results.forEach((result, i) => {
    const fields = Object.fromEntries(
      Object.entries(records[i] ?? {}).map(([k, v]) => [k, v === null ? "#N/A" : v]),
    );
    if (result.success)
      successful.push({ sf__Id: result.id ?? "", sf__Created: String(result.created), ...fields });
    else
      failed.push({
        sf__Id: result.id ?? "",
        sf__Error: result.errors
          .map((e) => `${e.statusCode}:${e.message}:${e.fields.join(",")} --`)
          .join(" "),
        sf__Row: i + 1,
        ...fields,
      });
  });
  return {
    api: "1" as const,
    operation,
    sobject,
    jobId,
    jobIds: jobId ? [jobId] : [],
    state: "Closed",
    processed: results.length,
    successful: successful.length,
    failed: failed.length,
    unprocessed: 0,
    failures: failed,
    successFile: null,
    failureFile: null,
    rows: { successful, failed, unprocessed: [] as Array<Record<string, unknown>> },
  };
}

/** Writes the result files, prints the report, and fails (exit 1) when any row failed. */
export async function finishIngest(
  ctx: CommandContext,
  full: IngestSummary & {
    rows?: {
      successful: Array<Record<string, unknown>>;
      failed: Array<Record<string, unknown>>;
      unprocessed: Array<Record<string, unknown>>;
    };
  },
  header: string[] | undefined,
  resultsDir: string,
): Promise<IngestSummary> {
  const { rows, ...summary } = full;
  if (rows) {
    await mkdir(resultsDir, { recursive: true });
    const base = summary.jobId || `bulk-${Date.now()}`;
    if (rows.successful.length) {
      summary.successFile = join(resultsDir, `${base}-success-records.csv`);
      await writeResultFile(
        summary.successFile,
        rows.successful,
        columnsFor(rows.successful, ["sf__Id", "sf__Created", ...(header ?? [])]),
      );
    }
    if (summary.failures.length) {
      summary.failureFile = join(resultsDir, `${base}-failed-records.csv`);
      await writeResultFile(
        summary.failureFile,
        summary.failures,
        columnsFor(summary.failures, ["sf__Id", "sf__Error", ...(header ?? [])]),
      );
    }
  }
  if (!ctx.json) {
    const lines = [
      `Bulk API ${summary.api} ${summary.operation} of ${summary.sobject ?? "records"}: job ${summary.jobIds.join(", ") || "(none)"} ${summary.state}.`,
      `Processed ${summary.processed}: ${summary.successful} successful, ${summary.failed} failed${summary.unprocessed ? `, ${summary.unprocessed} unprocessed` : ""}.`,
    ];
    await ctx.out.print(`${lines.join("\n")}\n`);
    if (summary.failures.length) {
      await ctx.out.print(
        `\nFailed rows${summary.failures.length > 20 ? ` (first 20 of ${summary.failures.length})` : ""}:\n`,
      );
      let text = "";
      for (const failure of summary.failures.slice(0, 20)) {
        const fields = Object.entries(failure)
          .filter(([key]) => !key.startsWith("sf__"))
          .slice(0, 4)
          .map(([key, value]) => `${key}=${JSON.stringify(value ?? "")}`)
          .join(" ");
        const where = failure.sf__Row ? `row ${failure.sf__Row}: ` : "";
        text += `  ${where}${String(failure.sf__Error ?? "").replace(/\s*--$/, "")}${fields ? `  (${fields})` : ""}\n`;
      }
      await ctx.out.print(text);
    }
    if (summary.successFile) await ctx.out.print(`Successful rows: ${summary.successFile}\n`);
    if (summary.failureFile) await ctx.out.print(`Failed rows: ${summary.failureFile}\n`);
  }
  const bad = summary.failed + summary.unprocessed;
  if (bad > 0) {
    throw new CliError(
      `${bad} of ${summary.processed + summary.unprocessed} rows ${summary.unprocessed ? "failed or were not processed" : "failed"} in job ${summary.jobIds.join(", ")}${summary.failureFile ? `; see ${summary.failureFile}` : ""}.`,
      { code: "ERR_ROWS_FAILED", data: summary },
    );
  }
  return summary;
}

/** Bulk errors as CLI errors: a timeout says how to resume (F26), a failed job says why. */
export async function explainBulkError(
  ctx: CommandContext,
  error: unknown,
  job: { api: "1" | "2"; sobject: string | null; operation: string },
): Promise<unknown> {
  if (!isSfkitError(error)) return error;
  const e = error as unknown as {
    name: string;
    message: string;
    jobId?: string;
    jobIds?: readonly string[];
    state?: string;
    job?: Record<string, unknown>;
  };
  if (e.name === "BulkPollingTimeoutError") {
    const ids = [...(e.jobIds ?? (e.jobId ? [e.jobId] : []))];
    if (ids[0])
      await rememberJob(ctx, {
        jobId: ids[0],
        api: job.api,
        sobject: job.sobject,
        operation: job.operation,
        startedAt: new Date().toISOString(),
      });
    if (job.operation === "query") {
      return new CliError(
        `The wait ran out while query job ${ids.join(", ")} was still running; it keeps running in Salesforce.`,
        {
          code: "ERR_WAIT_EXPIRED",
          data: { jobId: ids[0] ?? null, jobIds: ids, state: "InProgress" },
          actions: ["Run the command again with a longer --wait (minutes)."],
          cause: error,
        },
      );
    }
    const resume = ids.map((id) => `sfkit data resume --job-id ${id}${job.api === "1" ? " --api 1" : ""}`);
    return new CliError(
      `The wait ran out while job ${ids.join(", ")} was still running; it keeps running in Salesforce.`,
      {
        code: "ERR_WAIT_EXPIRED",
        data: { jobId: ids[0] ?? null, jobIds: ids, state: "InProgress", resume },
        actions: [`Check on it later: ${resume.join(" ; ")}`],
        cause: error,
      },
    );
  }
  if (e.name === "BulkJobError") {
    return new CliError(e.message, {
      code: "ERR_BULK_JOB_FAILED",
      data: {
        jobId: e.jobId ?? null,
        state: e.state ?? null,
        errorMessage: (e.job?.errorMessage as string | undefined) ?? null,
      },
      cause: error,
    });
  }
  return error;
}

export { parseInteger, UsageError };
