import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import {
  type Client,
  ConfigurationError,
  fileReadError,
  SalesforceExpiredSession,
  throwIfAborted,
} from "@sfkit/core";
import { CsvSplitter } from "./csv-split.js";
import {
  checkDelimiter,
  checkLineEnding,
  DELIMITERS,
  LINE_ENDINGS,
  parseCsvRows,
  recordsToCsv,
} from "./csv.js";
import { BulkJobError, BulkPollingTimeoutError, rereadOnBreak, withJobIds } from "./errors.js";
import { pollUntil, type ResolvedPoll, resolvePoll } from "./poll.js";
import type {
  Bulk2IngestOptions,
  Bulk2IngestRequest,
  Bulk2IngestResult,
  Bulk2JobInfo,
  Bulk2JobSummary,
  Bulk2QueryOptions,
  ColumnDelimiter,
  FailedRow,
  LineEnding,
  PollOptions,
  StandardSObjectName,
  SuccessfulRow,
  UnprocessedRow,
} from "./types.js";
import { checkBulkOptions, OPTION_NAMES } from "./option-names.js";

export type Bulk2Operation = "insert" | "update" | "upsert" | "delete" | "hardDelete";

/** Bulk API 2.0 for one sObject: `sf.bulk2.Contact`. */
export interface Bulk2Object {
  insert(request: Bulk2IngestRequest): Promise<Bulk2IngestResult>;
  update(request: Bulk2IngestRequest): Promise<Bulk2IngestResult>;
  /** `externalIdField` is required (use "Id" to match on record ids). */
  upsert(request: Bulk2IngestRequest & { externalIdField: string }): Promise<Bulk2IngestResult>;
  delete(request: Bulk2IngestRequest): Promise<Bulk2IngestResult>;
  hardDelete(request: Bulk2IngestRequest): Promise<Bulk2IngestResult>;
  /** Rows of a Bulk 2.0 query job, page after page, streamed (flat memory for any size). */
  query(soql: string, options?: Bulk2QueryOptions): AsyncGenerator<Record<string, string>>;
  /** As query, including deleted and archived rows. */
  queryAll(soql: string, options?: Bulk2QueryOptions): AsyncGenerator<Record<string, string>>;
}

/** Job-level calls: `sf.bulk2.resume(jobId)` and friends. */
export interface Bulk2Jobs {
  /** The Bulk 2.0 calls for any sObject: `sf.bulk2.sobject("Widget__c")` is `sf.bulk2.Widget__c`. */
  sobject(name: string): Bulk2Object;
  /** Ingest job info (`GET jobs/ingest/{id}`). */
  job(jobId: string): Promise<Bulk2JobInfo>;
  /** Query job info (`GET jobs/query/{id}`). */
  queryJob(jobId: string): Promise<Bulk2JobInfo>;
  /**
   * Waits for an existing ingest job (e.g. after a BulkPollingTimeoutError) and reads its
   * results, as an ingest call would have.
   */
  resume(jobId: string, options?: Omit<Bulk2IngestOptions, "externalIdField">): Promise<Bulk2IngestResult>;
  /** Waits for an existing query job and streams its rows. */
  resumeQuery(jobId: string, options?: Bulk2QueryOptions): AsyncGenerator<Record<string, string>>;
  /** Streams a finished ingest job's result rows. */
  successfulResults(jobId: string): AsyncGenerator<SuccessfulRow>;
  failedResults(jobId: string): AsyncGenerator<FailedRow>;
  unprocessedRecords(jobId: string): AsyncGenerator<UnprocessedRow>;
  /** Aborts an ingest (or, with kind "query", a query) job. */
  abort(jobId: string, kind?: "ingest" | "query"): Promise<Bulk2JobInfo>;
  /** Deletes a finished job and its data from Salesforce. */
  deleteJob(jobId: string, kind?: "ingest" | "query"): Promise<void>;
}

/** `sf.bulk2`: an object per sObject name, plus the job-level calls. */
export type Bulk2 = Bulk2Jobs & { readonly [K in StandardSObjectName]: Bulk2Object } & {
  readonly [object: string]: Bulk2Object;
};

export interface Bulk2Settings extends PollOptions {
  maxBytesPerJob?: number;
}

const TERMINAL = new Set(["JobComplete", "Failed", "Aborted"]);
const DEFAULT_MAX_BYTES = 100_000_000;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const ensureId = (jobId: string) => {
  if (typeof jobId !== "string" || !/^[A-Za-z0-9]{15,18}$/.test(jobId)) {
    throw new ConfigurationError(
      `${JSON.stringify(jobId)} is not a bulk job id (750… with 15 or 18 characters).`,
    );
  }
  return jobId;
};

export function createBulk2(client: Client, settings: Bulk2Settings): Bulk2 {
  const request = client.request;

  const jobInfo = async (kind: "ingest" | "query", jobId: string, signal?: AbortSignal) =>
    (await request<Bulk2JobInfo>({ path: `jobs/${kind}/${ensureId(jobId)}`, ...(signal ? { signal } : {}) }))
      .data;

  /** Polls every job until it is terminal; throws on Failed/Aborted or time-out. */
  async function waitForJobs(
    kind: "ingest" | "query",
    jobs: Bulk2JobInfo[],
    poll: ResolvedPoll,
  ): Promise<Bulk2JobInfo[]> {
    const latest = [...jobs];
    const states = new Map<string, string>();
    await pollUntil(
      poll,
      async () => {
        for (let i = 0; i < latest.length; i++) {
          const current = latest[i]!;
          if (TERMINAL.has(current.state) && states.has(current.id)) continue;
          const info = await jobInfo(kind, current.id, poll.signal);
          latest[i] = { ...current, ...info };
          const key = `${info.state}/${info.numberRecordsProcessed ?? 0}`;
          if (states.get(info.id) !== key) {
            states.set(info.id, key);
            poll.onProgress({
              type: "state",
              api: "bulk2",
              jobId: info.id,
              state: info.state,
              processed: info.numberRecordsProcessed ?? 0,
              failed: info.numberRecordsFailed ?? 0,
            });
          }
        }
        return latest;
      },
      (all) => all.every((job) => TERMINAL.has(job.state)),
      () => {
        const open = latest.filter((job) => !TERMINAL.has(job.state));
        return new BulkPollingTimeoutError(
          `Bulk 2.0 ${kind} job${latest.length > 1 ? "s" : ""} ${latest.map((j) => j.id).join(", ")} still running after ${poll.pollTimeout} ms (${open.map((j) => `${j.id}: ${j.state}`).join(", ")}). The jobs were left running; resume with sf.bulk2.${kind === "ingest" ? "resume" : "resumeQuery"}(jobId).`,
          { jobIds: latest.map((j) => j.id), jobs: latest, timeout: poll.pollTimeout },
        );
      },
    );
    const bad = latest.find((job) => job.state === "Failed" || job.state === "Aborted");
    if (bad) {
      throw new BulkJobError(
        `Bulk 2.0 ${kind} job ${bad.id} (${bad.operation ?? ""} ${bad.object ?? ""}) ended ${bad.state}${bad.errorMessage ? `: ${bad.errorMessage}` : ""}`,
        {
          jobId: bad.id,
          state: bad.state,
          job: bad,
          jobs: latest,
          errorCode: bad.state === "Failed" ? "JOB_FAILED" : "JOB_ABORTED",
        },
      );
    }
    return latest;
  }

  async function* resultRows(
    jobId: string,
    resource: "successfulResults" | "failedResults" | "unprocessedrecords",
    format: { delimiter: string; lineEnding: string },
    signal?: AbortSignal,
  ): AsyncGenerator<Record<string, string>> {
    const response = await request<Readable>({
      path: `jobs/ingest/${ensureId(jobId)}/${resource}/`,
      headers: { accept: "text/csv" },
      responseType: "stream",
      ...(signal ? { signal } : {}),
    });
    yield* parseCsvRows(response.data, format);
  }

  const formatOf = (job: Bulk2JobInfo) => ({
    delimiter: DELIMITERS[(job.columnDelimiter as ColumnDelimiter) ?? "COMMA"] ?? ",",
    lineEnding: LINE_ENDINGS[(job.lineEnding as LineEnding) ?? "LF"] ?? "\n",
  });

  async function collect<T>(
    rows: AsyncIterable<Record<string, string>>,
    into: T[],
    onCount: (count: number) => void,
  ): Promise<void> {
    let count = 0;
    for await (const row of rows) {
      into.push(row as T);
      count++;
    }
    onCount(count);
  }

  async function readResults(
    jobs: Bulk2JobInfo[],
    mode: NonNullable<Bulk2IngestOptions["results"]>,
    poll: ResolvedPoll,
  ): Promise<Omit<Bulk2IngestResult, "jobs">> {
    const result: Omit<Bulk2IngestResult, "jobs"> = { successful: [], failed: [], unprocessed: [] };
    if (mode === "none") return result;
    for (const job of jobs) {
      const format = formatOf(job);
      const kinds = [
        ...(mode === "all" ? [["successfulResults", result.successful, "successful"] as const] : []),
        ["failedResults", result.failed, "failed"] as const,
        ["unprocessedrecords", result.unprocessed, "unprocessed"] as const,
      ];
      for (const [resource, into, kind] of kinds) {
        const start = into.length;
        await rereadOnBreak(
          () => {
            into.length = start; // a cut body is read again from its first row
            return collect(
              resultRows(job.id, resource, format, poll.signal),
              into as Record<string, string>[],
              (rows) => poll.onProgress({ type: "rows", api: "bulk2", jobId: job.id, kind, rows }),
            );
          },
          (message) => client.log.warn(message),
        );
      }
    }
    return result;
  }

  async function openSource(source: Bulk2IngestRequest, delimiter: string, lineEnding: LineEnding) {
    const given = ["records", "csv", "file", "stream"].filter(
      (key) => (source as unknown as Record<string, unknown>)[key] !== undefined,
    );
    if (given.length !== 1) {
      throw new ConfigurationError(
        `Give exactly one data source to a Bulk 2.0 ingest: { records }, { csv }, { file } or { stream }${given.length ? ` (got ${given.join(" and ")})` : ""}.`,
      );
    }
    if ("records" in source && source.records !== undefined) {
      const records = Array.isArray(source.records) ? source.records : [...source.records];
      if (records.length === 0) return undefined;
      return recordsToCsv(records as Record<string, unknown>[], {
        delimiter,
        lineEnding: LINE_ENDINGS[lineEnding],
      });
    }
    if ("csv" in source && source.csv !== undefined) {
      if (typeof source.csv !== "string")
        throw new ConfigurationError("{ csv } takes the CSV text as a string.");
      return Readable.from([Buffer.from(source.csv, "utf8")]);
    }
    if ("file" in source && source.file !== undefined) {
      const file = source.file;
      const info = await stat(file).catch((cause: unknown) => {
        throw fileReadError({ path: file, option: "{ file }", hint: "Nothing was sent.", cause });
      });
      if (!info.isFile()) {
        throw new ConfigurationError(`${file} (from { file }) is not a file: give the path of a CSV file.`);
      }
      return createReadStream(source.file, { highWaterMark: 1024 * 1024 });
    }
    const stream = (source as { stream: unknown }).stream;
    if (!stream || typeof stream !== "object" || !(Symbol.asyncIterator in stream)) {
      throw new ConfigurationError("{ stream } takes a Readable or an async iterable of CSV bytes.");
    }
    return stream as AsyncIterable<Uint8Array | string>;
  }

  async function ingest(
    object: string,
    operation: Bulk2Operation,
    input: Bulk2IngestRequest,
  ): Promise<Bulk2IngestResult> {
    if (!input || typeof input !== "object") {
      throw new ConfigurationError(
        `bulk2.${object}.${operation}() takes { records } , { csv }, { file } or { stream }.`,
      );
    }
    checkBulkOptions(input, OPTION_NAMES.bulk2Ingest, `bulk2.${object}.${operation}()`);
    const poll = resolvePoll(settings, input);
    const columnDelimiter = checkDelimiter(input.columnDelimiter);
    const askedLineEnding = checkLineEnding(input.lineEnding);
    const mode = input.results ?? "all";
    if (!["all", "failed", "none"].includes(mode)) {
      throw new ConfigurationError(`results must be "all", "failed" or "none", not ${JSON.stringify(mode)}.`);
    }
    if (operation === "upsert" && !input.externalIdField) {
      throw new ConfigurationError(
        `bulk2.${object}.upsert() needs externalIdField: the field that matches rows to records (an external id field, or "Id").`,
      );
    }
    const maxBytes = input.maxBytesPerJob ?? settings.maxBytesPerJob ?? DEFAULT_MAX_BYTES;
    if (!(Number.isInteger(maxBytes) && maxBytes > 0 && maxBytes <= 150_000_000)) {
      throw new ConfigurationError(
        `maxBytesPerJob must be a whole number of bytes up to 150000000, not ${maxBytes}.`,
      );
    }
    const maxRows = input.maxRowsPerJob ?? Number.POSITIVE_INFINITY;
    const isRecords = "records" in input && input.records !== undefined;
    const openSplitter = async (): Promise<CsvSplitter | undefined> => {
      const source = await openSource(input, DELIMITERS[columnDelimiter], askedLineEnding ?? "LF");
      if (!source) return undefined;
      const opened = new CsvSplitter(source, {
        maxBytes,
        maxRows,
        ...(askedLineEnding || isRecords ? { lineEnding: askedLineEnding ?? "LF" } : {}),
      });
      await opened.start();
      return opened;
    };
    let splitter = await openSplitter();
    if (!splitter) return { jobs: [], successful: [], failed: [], unprocessed: [] };
    // Records, CSV text and files can be read again: an upload refused because the session
    // expired (a stream body cannot be re-sent by core) is redone once on a new job.
    const rereadable = !("stream" in input && input.stream !== undefined);
    const jobs: Bulk2JobSummary[] = [];
    let partIndex = 0;
    let retriedPart = -1;
    try {
      while (await splitter.hasMore()) {
        const created = (
          await request<Bulk2JobInfo>({
            method: "POST",
            path: "jobs/ingest",
            body: {
              object,
              ...(input.externalIdField && operation === "upsert"
                ? { externalIdFieldName: input.externalIdField }
                : {}),
              contentType: "CSV",
              operation,
              lineEnding: splitter.lineEnding,
              columnDelimiter,
              ...(input.assignmentRuleId ? { assignmentRuleId: input.assignmentRuleId } : {}),
            },
            ...(poll.signal ? { signal: poll.signal } : {}),
          })
        ).data;
        const summary: Bulk2JobSummary = { ...created, rowsUploaded: 0 };
        jobs.push(summary);
        poll.onProgress({ type: "jobCreated", api: "bulk2", jobId: created.id, object, operation });
        const part = splitter.nextPart();
        try {
          await request({
            method: "PUT",
            path: `jobs/ingest/${created.id}/batches`,
            headers: { "content-type": "text/csv" },
            body: Readable.from(part.body, { objectMode: false }),
            ...(poll.signal ? { signal: poll.signal } : {}),
          });
        } catch (error) {
          // The job never got its data: abort it so it does not linger Open (this request
          // also refreshes an expired session), then retry or report.
          await request({
            method: "PATCH",
            path: `jobs/ingest/${created.id}`,
            body: { state: "Aborted" },
          }).catch(() => undefined);
          summary.state = "Aborted";
          if (error instanceof SalesforceExpiredSession && rereadable && retriedPart !== partIndex) {
            retriedPart = partIndex;
            jobs.pop();
            client.log.info(
              `bulk2: the session expired during the upload of job ${created.id}; uploading that part again on a new job`,
            );
            await splitter.close().catch(() => undefined);
            splitter = (await openSplitter())!;
            for (let skip = 0; skip < partIndex; skip++) {
              for await (const _ of splitter.nextPart().body) {
                // already uploaded: skip
              }
            }
            continue;
          }
          throw error;
        }
        partIndex++;
        summary.rowsUploaded = part.rows;
        poll.onProgress({
          type: "uploaded",
          api: "bulk2",
          jobId: created.id,
          rows: part.rows,
          bytes: part.bytes,
        });
        const closed = (
          await request<Bulk2JobInfo>({
            method: "PATCH",
            path: `jobs/ingest/${created.id}`,
            body: { state: "UploadComplete" },
            ...(poll.signal ? { signal: poll.signal } : {}),
          })
        ).data;
        Object.assign(summary, closed, { rowsUploaded: part.rows });
      }
      const finished = await waitForJobs("ingest", jobs, poll);
      for (const [i, info] of finished.entries()) Object.assign(jobs[i]!, info);
      const rows = await readResults(jobs, mode, poll);
      return { jobs, ...rows };
    } catch (error) {
      // Whatever failed after a job existed (upload, polling, results), its id is not lost.
      throw withJobIds(error, jobs, "bulk2");
    }
  }

  async function* queryRows(
    jobId: string,
    options: Bulk2QueryOptions,
    format: { delimiter: string; lineEnding: string },
  ): AsyncGenerator<Record<string, string>> {
    const poll = resolvePoll(settings, options);
    let locator: string | undefined;
    let total = 0;
    do {
      const response = await request<Readable>({
        path: `jobs/query/${ensureId(jobId)}/results`,
        query: { locator, maxRecords: options.maxRecords },
        headers: { accept: "text/csv" },
        responseType: "stream",
        ...(poll.signal ? { signal: poll.signal } : {}),
      });
      const next = response.headers["sforce-locator"];
      let count = 0;
      for await (const row of parseCsvRows(response.data, format)) {
        count++;
        yield row;
        throwIfAborted(poll.signal, `Reading the results of Bulk 2.0 query job ${jobId}`);
      }
      total += count;
      poll.onProgress({ type: "rows", api: "bulk2", jobId, kind: "query", rows: total });
      locator = next && next !== "null" ? next : undefined;
    } while (locator);
  }

  async function* query(
    operation: "query" | "queryAll",
    soql: string,
    options: Bulk2QueryOptions = {},
  ): AsyncGenerator<Record<string, string>> {
    if (typeof soql !== "string" || !soql.trim()) {
      throw new ConfigurationError(
        `bulk2 ${operation}() needs a SOQL string, e.g. "SELECT Id FROM Account".`,
      );
    }
    checkBulkOptions(options, OPTION_NAMES.bulk2Query, `bulk2 ${operation}()`);
    if (
      options.maxRecords !== undefined &&
      !(Number.isInteger(options.maxRecords) && options.maxRecords > 0)
    ) {
      throw new ConfigurationError(`maxRecords must be a positive whole number, not ${options.maxRecords}.`);
    }
    const poll = resolvePoll(settings, options);
    const columnDelimiter = checkDelimiter(options.columnDelimiter);
    const lineEnding = checkLineEnding(options.lineEnding) ?? "LF";
    const created = (
      await request<Bulk2JobInfo>({
        method: "POST",
        path: "jobs/query",
        body: { operation, query: soql, contentType: "CSV", columnDelimiter, lineEnding },
        ...(poll.signal ? { signal: poll.signal } : {}),
      })
    ).data;
    poll.onProgress({ type: "jobCreated", api: "bulk2", jobId: created.id, object: "", operation });
    const [done] = await waitForJobs("query", [created], poll);
    yield* queryRows(done!.id, options, formatOf({ ...done!, columnDelimiter, lineEnding }));
  }

  const objects = new Map<string, Bulk2Object>();
  const forObject = (name: string): Bulk2Object => {
    let found = objects.get(name);
    if (!found) {
      found = {
        insert: (r) => ingest(name, "insert", r),
        update: (r) => ingest(name, "update", r),
        upsert: (r) => ingest(name, "upsert", r),
        delete: (r) => ingest(name, "delete", r),
        hardDelete: (r) => ingest(name, "hardDelete", r),
        query: (soql, o) => query("query", soql, o),
        queryAll: (soql, o) => query("queryAll", soql, o),
      };
      objects.set(name, found);
    }
    return found;
  };

  const jobsApi: Bulk2Jobs = {
    sobject(name) {
      if (typeof name !== "string" || !OBJECT_NAME.test(name)) {
        throw new ConfigurationError(
          `${JSON.stringify(name)} is not an sObject name (e.g. "Account", "Widget__c").`,
        );
      }
      return forObject(name);
    },
    job: (jobId) => jobInfo("ingest", jobId),
    queryJob: (jobId) => jobInfo("query", jobId),
    async resume(jobId, options = {}) {
      checkBulkOptions(options, OPTION_NAMES.bulk2Resume, "bulk2.resume()");
      const poll = resolvePoll(settings, options);
      const info = await jobInfo("ingest", jobId, poll.signal);
      const [done] = await waitForJobs("ingest", [info], poll);
      const mode = options.results ?? "all";
      const rows = await readResults([done!], mode, poll);
      // the rows of the upload, as Salesforce accounts for them
      const rowsUploaded =
        mode === "all"
          ? rows.successful.length + rows.failed.length + rows.unprocessed.length
          : (done!.numberRecordsProcessed ?? 0) + rows.unprocessed.length;
      return { jobs: [{ ...done!, rowsUploaded }], ...rows };
    },
    async *resumeQuery(jobId, options = {}) {
      checkBulkOptions(options, OPTION_NAMES.bulk2Query, "bulk2.resumeQuery()");
      const poll = resolvePoll(settings, options);
      const info = await jobInfo("query", jobId, poll.signal);
      const [done] = await waitForJobs("query", [info], poll);
      yield* queryRows(jobId, options, formatOf(done!));
    },
    async *successfulResults(jobId) {
      const info = await jobInfo("ingest", jobId);
      yield* resultRows(jobId, "successfulResults", formatOf(info)) as AsyncGenerator<SuccessfulRow>;
    },
    async *failedResults(jobId) {
      const info = await jobInfo("ingest", jobId);
      yield* resultRows(jobId, "failedResults", formatOf(info)) as AsyncGenerator<FailedRow>;
    },
    async *unprocessedRecords(jobId) {
      const info = await jobInfo("ingest", jobId);
      yield* resultRows(jobId, "unprocessedrecords", formatOf(info));
    },
    async abort(jobId, kind = "ingest") {
      return (
        await request<Bulk2JobInfo>({
          method: "PATCH",
          path: `jobs/${kind}/${ensureId(jobId)}`,
          body: { state: "Aborted" },
        })
      ).data;
    },
    async deleteJob(jobId, kind = "ingest") {
      await request({ method: "DELETE", path: `jobs/${kind}/${ensureId(jobId)}` });
    },
  };

  return new Proxy(jobsApi as Bulk2, {
    get(target, property) {
      if (typeof property !== "string") return undefined;
      if (Object.hasOwn(target, property)) return (target as unknown as Record<string, unknown>)[property];
      if (property === "then" || !OBJECT_NAME.test(property)) return undefined;
      return forObject(property);
    },
  });
}
