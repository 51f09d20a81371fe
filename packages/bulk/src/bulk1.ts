import type { Readable } from "node:stream";
import { type Client, ConfigurationError, parseXml, throwIfAborted, type XmlNode } from "@sfkit/core";
import { parseCsvRows, parseErrorCell, recordsToCsvLines, unionColumns } from "./csv.js";
import { BulkJobError, BulkPollingTimeoutError, rereadOnBreak, withJobIds } from "./errors.js";
import { pollUntil, type ResolvedPoll, resolvePoll } from "./poll.js";
import type {
  Bulk1Options,
  Bulk1QueryOptions,
  BulkResult,
  BulkRowError,
  PollOptions,
  StandardSObjectName,
} from "./types.js";
import { checkBulkOptions, OPTION_NAMES } from "./option-names.js";

export type Bulk1Operation = "insert" | "update" | "upsert" | "delete" | "hardDelete";
type Records = ReadonlyArray<Record<string, unknown>>;

/** Bulk API 1.0 for one sObject: `sf.bulk.Contact`. */
export interface BulkObject {
  /** One result per record, in input order; a failed row is a result (`success: false`). */
  insert(records: Records, options?: Bulk1Options): Promise<BulkResult[]>;
  update(records: Records, options?: Bulk1Options): Promise<BulkResult[]>;
  upsert(records: Records, externalIdField: string, options?: Bulk1Options): Promise<BulkResult[]>;
  delete(records: Records, options?: Bulk1Options): Promise<BulkResult[]>;
  hardDelete(records: Records, options?: Bulk1Options): Promise<BulkResult[]>;
  /** All records of a bulk query (every batch and result set). */
  query(soql: string, options?: Bulk1QueryOptions): Promise<Record<string, unknown>[]>;
  queryAll(soql: string, options?: Bulk1QueryOptions): Promise<Record<string, unknown>[]>;
  /** The same records, one at a time, result set after result set. */
  queryIter(
    soql: string,
    options?: Bulk1QueryOptions & { all?: boolean },
  ): AsyncGenerator<Record<string, unknown>>;
}

export interface BulkJobs {
  /** The Bulk 1.0 calls for any sObject: `sf.bulk.sobject("Widget__c")` is `sf.bulk.Widget__c`. */
  sobject(name: string): BulkObject;
  /** Job info (`GET /services/async/NN.0/job/{id}`). */
  job(jobId: string): Promise<Record<string, unknown>>;
  /** Batch infos of a job, in creation order. */
  batches(jobId: string): Promise<Record<string, unknown>[]>;
  /**
   * Waits for an existing job (e.g. after a BulkPollingTimeoutError) and returns its
   * results: DML results in batch order, or the records of a query job.
   */
  resume(jobId: string, options?: PollOptions): Promise<BulkResult[] | Record<string, unknown>[]>;
  /** Aborts a job. */
  abort(jobId: string): Promise<Record<string, unknown>>;
}

/** `sf.bulk`: an object per sObject name, plus the job-level calls. */
export type Bulk = BulkJobs & { readonly [K in StandardSObjectName]: BulkObject } & {
  readonly [object: string]: BulkObject;
};

const MAX_RECORDS = 10_000;
const MAX_BYTES = 10_000_000;
const TERMINAL = new Set(["Completed", "Failed", "Not Processed", "NotProcessed"]);
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Rejects values that JSON would silently turn into null (NaN, Infinity) or drop. */
function checkJsonValue(value: unknown, path: string): void {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new ConfigurationError(
      `Field ${path} is ${value}, which Salesforce cannot store: send null or a finite number.`,
    );
  }
  if (value instanceof Date && Number.isNaN(value.getTime())) {
    throw new ConfigurationError(`Field ${path} is an invalid Date.`);
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value)) checkJsonValue(inner, `${path}.${key}`);
  }
}

/** Groups serialized rows into batches of at most `size` records and 10 MB. */
function* batchesOf(serialized: string[], size: number, overhead: number): Generator<[number, number]> {
  let start = 0;
  let bytes = overhead;
  for (let i = 0; i < serialized.length; i++) {
    const length = Buffer.byteLength(serialized[i]!) + 1;
    if (i > start && (i - start >= size || bytes + length > MAX_BYTES)) {
      yield [start, i];
      start = i;
      bytes = overhead;
    }
    bytes += length;
  }
  if (start < serialized.length) yield [start, serialized.length];
}

const asArray = (node: XmlNode | XmlNode[] | undefined): XmlNode[] =>
  node === undefined || node === "" ? [] : Array.isArray(node) ? node : [node];

/** Bulk 1.0 info objects from a JSON body or an XML one (CSV and XML jobs answer in XML). */
function infoFrom(data: unknown, listKey: string, itemKey: string): Record<string, unknown>[] {
  if (typeof data === "string") {
    const root = parseXml(data);
    const list = root[listKey];
    const items = list && typeof list === "object" && !Array.isArray(list) ? asArray(list[itemKey]) : [];
    return items.map((item) => numeric(item as Record<string, unknown>));
  }
  if (data && typeof data === "object" && Array.isArray((data as Record<string, unknown>)[itemKey])) {
    return (data as Record<string, Record<string, unknown>[]>)[itemKey]!;
  }
  return [];
}

function numeric(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] =
      typeof value === "string" && /^(number|total|api|apex)/.test(key) && /^\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : value;
  }
  return out;
}

function singleInfo(data: unknown, root: string): Record<string, unknown> {
  if (typeof data === "string") {
    const parsed = parseXml(data)[root];
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? numeric(parsed) : {};
  }
  return (data ?? {}) as Record<string, unknown>;
}

export function createBulk1(client: Client, settings: PollOptions): Bulk {
  const base = () => `/services/async/${client.apiVersion}`;
  const call = <T = unknown>(options: Parameters<Client["request"]>[0]) =>
    client.request<T>({ auth: "sfdc-session", ...options });

  const ensureId = (jobId: string) => {
    if (typeof jobId !== "string" || !/^[A-Za-z0-9]{15,18}$/.test(jobId)) {
      throw new ConfigurationError(
        `${JSON.stringify(jobId)} is not a bulk job id (750… with 15 or 18 characters).`,
      );
    }
    return jobId;
  };

  async function createJob(
    object: string,
    operation: string,
    contentType: "JSON" | "CSV",
    extra: Record<string, unknown>,
    headers: Record<string, string>,
    poll: ResolvedPoll,
  ): Promise<string> {
    const { data } = await call<Record<string, unknown>>({
      method: "POST",
      path: `${base()}/job`,
      headers: { "content-type": "application/json; charset=UTF-8", ...headers },
      body: JSON.stringify({ operation, object, ...extra, contentType }),
      ...(poll.signal ? { signal: poll.signal } : {}),
    });
    const jobId = String(singleInfo(data, "jobInfo").id ?? "");
    poll.onProgress({ type: "jobCreated", api: "bulk", jobId, object, operation });
    return jobId;
  }

  async function closeJob(jobId: string, poll: ResolvedPoll) {
    await call({
      method: "POST",
      path: `${base()}/job/${jobId}`,
      headers: { "content-type": "application/json; charset=UTF-8" },
      body: JSON.stringify({ state: "Closed" }),
      ...(poll.signal ? { signal: poll.signal } : {}),
    });
  }

  async function listBatches(jobId: string, signal?: AbortSignal) {
    const { data } = await call({
      path: `${base()}/job/${ensureId(jobId)}/batch`,
      ...(signal ? { signal } : {}),
    });
    return infoFrom(data, "batchInfoList", "batchInfo");
  }

  /** Polls the job's batch list until every batch is terminal. */
  async function waitForBatches(jobId: string, poll: ResolvedPoll): Promise<Record<string, unknown>[]> {
    let lastKey = "";
    return pollUntil(
      poll,
      async () => {
        const batches = await listBatches(jobId, poll.signal);
        const processed = batches.reduce((n, b) => n + Number(b.numberRecordsProcessed ?? 0), 0);
        const failed = batches.reduce((n, b) => n + Number(b.numberRecordsFailed ?? 0), 0);
        const open = batches.filter((b) => !TERMINAL.has(String(b.state))).length;
        const state = open ? "InProgress" : "Completed";
        const key = `${state}/${processed}`;
        if (key !== lastKey) {
          lastKey = key;
          poll.onProgress({ type: "state", api: "bulk", jobId, state, processed, failed });
        }
        return batches;
      },
      (batches) => batches.length > 0 && batches.every((b) => TERMINAL.has(String(b.state))),
      (last) =>
        new BulkPollingTimeoutError(
          `Bulk 1.0 job ${jobId} still running after ${poll.pollTimeout} ms; it was left as it is. Resume with sf.bulk.resume("${jobId}").`,
          {
            jobIds: [jobId],
            batchIds: (last ?? []).filter((b) => !TERMINAL.has(String(b.state))).map((b) => String(b.id)),
            jobs: [{ id: jobId, batches: last ?? [] }],
            timeout: poll.pollTimeout,
          },
        ),
    );
  }

  function rowsOfFailedBatch(batch: Record<string, unknown>, count: number): BulkResult[] {
    const message = String(batch.stateMessage ?? "the batch failed");
    const code = /^(\w+)\s*:/.exec(message)?.[1] ?? "BATCH_FAILED";
    const error: BulkRowError = { statusCode: code, message, fields: [] };
    return Array.from({ length: count }, () => ({
      id: null,
      success: false,
      created: false,
      errors: [error],
    }));
  }

  async function batchResults(
    jobId: string,
    batch: Record<string, unknown>,
    expected: number | undefined,
    poll: ResolvedPoll,
  ): Promise<BulkResult[]> {
    if (batch.state === "Failed") {
      const count = expected ?? Number(batch.numberRecordsProcessed ?? 0);
      return rowsOfFailedBatch(batch, count);
    }
    if (batch.state !== "Completed") {
      // "Not Processed": the job was aborted before this batch ran; its rows were not touched
      const count = expected ?? 0;
      const error: BulkRowError = {
        statusCode: "NOT_PROCESSED",
        message: `Batch ${String(batch.id)} was not processed (${String(batch.stateMessage ?? "the job was aborted")})`,
        fields: [],
      };
      return Array.from({ length: count }, () => ({
        id: null,
        success: false,
        created: false,
        errors: [error],
      }));
    }
    return rereadOnBreak(
      () => readBatchResults(jobId, batch, poll),
      (message) => client.log.warn(message),
    );
  }

  async function readBatchResults(
    jobId: string,
    batch: Record<string, unknown>,
    poll: ResolvedPoll,
  ): Promise<BulkResult[]> {
    const response = await call<unknown>({
      path: `${base()}/job/${jobId}/batch/${batch.id}/result`,
      responseType: "stream",
      ...(poll.signal ? { signal: poll.signal } : {}),
    });
    const type = (response.headers["content-type"] ?? "").toLowerCase();
    const stream = response.data as Readable;
    const results: BulkResult[] = [];
    if (type.includes("csv")) {
      for await (const row of parseCsvRows(stream)) {
        const errors = parseErrorCell(row.Error ?? "");
        results.push({
          id: row.Id ? row.Id : null,
          success: row.Success === "true",
          created: row.Created === "true",
          errors,
        });
      }
      return results;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    const text = Buffer.concat(chunks).toString("utf8");
    if (type.includes("xml") || text.trimStart().startsWith("<")) {
      const root = parseXml(text).results;
      const items = root && typeof root === "object" && !Array.isArray(root) ? asArray(root.result) : [];
      for (const item of items as Record<string, XmlNode>[]) {
        results.push({
          id: typeof item.id === "string" && item.id ? item.id : null,
          success: item.success === "true",
          created: item.created === "true",
          errors: asArray(item.errors).map((e) => {
            const error = e as Record<string, XmlNode>;
            return {
              statusCode: String(error.statusCode ?? ""),
              message: String(error.message ?? ""),
              fields: asArray(error.fields).map(String),
            };
          }),
        });
      }
      return results;
    }
    const parsed = JSON.parse(text) as Array<Record<string, unknown>>;
    for (const item of parsed) {
      results.push({
        id: typeof item.id === "string" && item.id ? item.id : null,
        success: item.success === true || item.success === "true",
        created: item.created === true || item.created === "true",
        errors: Array.isArray(item.errors)
          ? (item.errors as Record<string, unknown>[]).map((e) => ({
              statusCode: String(e.statusCode ?? ""),
              message: String(e.message ?? ""),
              fields: Array.isArray(e.fields) ? e.fields.map(String) : [],
            }))
          : [],
      });
    }
    return results;
  }

  async function dml(
    object: string,
    operation: Bulk1Operation,
    records: Records,
    externalIdField: string | undefined,
    options: Bulk1Options = {},
  ): Promise<BulkResult[]> {
    if (!Array.isArray(records)) {
      throw new ConfigurationError(`bulk.${object}.${operation}() takes an array of records.`);
    }
    checkBulkOptions(options, OPTION_NAMES.bulk1Dml, `bulk.${object}.${operation}()`);
    if (records.length === 0) return [];
    const poll = resolvePoll(settings, options);
    const contentType = options.contentType ?? "JSON";
    if (contentType !== "JSON" && contentType !== "CSV") {
      throw new ConfigurationError(
        `contentType must be "JSON" or "CSV", not ${JSON.stringify(contentType)}.`,
      );
    }
    const batchSize = options.batchSize ?? "auto";
    if (
      batchSize !== "auto" &&
      !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_RECORDS)
    ) {
      throw new ConfigurationError(
        `batchSize must be a whole number from 1 to 10000 (Salesforce's limit per batch) or "auto", not ${JSON.stringify(batchSize)}.`,
      );
    }
    if (operation === "upsert" && (typeof externalIdField !== "string" || !externalIdField)) {
      throw new ConfigurationError(
        `bulk.${object}.upsert(records, externalIdField) needs the external id field name (or "Id").`,
      );
    }
    // serialize every record first: bad values fail before any job exists
    let serialized: string[];
    let header = "";
    if (contentType === "JSON") {
      serialized = records.map((record, i) => {
        if (!record || typeof record !== "object")
          throw new ConfigurationError(`Record ${i} is not an object.`);
        const { attributes: _ignored, ...fields } = record as Record<string, unknown>;
        checkJsonValue(fields, `record ${i}`);
        return JSON.stringify(fields);
      });
    } else {
      ({ header, lines: serialized } = recordsToCsvLines(records, unionColumns(records)));
    }
    const size = batchSize === "auto" ? MAX_RECORDS : batchSize;
    const ranges = [...batchesOf(serialized, size, Buffer.byteLength(header) + 2)];
    const jobId = await createJob(
      object,
      operation,
      contentType,
      {
        ...(operation === "upsert" ? { externalIdFieldName: externalIdField } : {}),
        concurrencyMode: options.useSerial ? "Serial" : "Parallel",
        ...(options.assignmentRuleId ? { assignmentRuleId: options.assignmentRuleId } : {}),
      },
      {},
      poll,
    );
    const batchIds: string[] = [];
    const sizes = new Map<string, number>();
    try {
      try {
        for (const [start, end] of ranges) {
          const body =
            contentType === "JSON"
              ? `[${serialized.slice(start, end).join(",")}]`
              : `${header}\n${serialized.slice(start, end).join("\n")}\n`;
          const { data } = await call({
            method: "POST",
            path: `${base()}/job/${jobId}/batch`,
            headers: {
              "content-type":
                contentType === "JSON" ? "application/json; charset=UTF-8" : "text/csv; charset=UTF-8",
            },
            body,
            ...(poll.signal ? { signal: poll.signal } : {}),
          });
          const batchId = String(singleInfo(data, "batchInfo").id ?? "");
          batchIds.push(batchId);
          sizes.set(batchId, end - start);
          poll.onProgress({
            type: "uploaded",
            api: "bulk",
            jobId,
            batchId,
            rows: end - start,
            bytes: Buffer.byteLength(body),
          });
        }
      } finally {
        // Close whatever happened, so that Salesforce finishes the batches it has.
        await closeJob(jobId, poll).catch(() => undefined);
      }
      const batches = await waitForBatches(jobId, poll);
      const byId = new Map(batches.map((b) => [String(b.id), b]));
      const results: BulkResult[] = [];
      for (const batchId of batchIds) {
        const batch = byId.get(batchId) ?? {
          id: batchId,
          state: "Failed",
          stateMessage: "batch missing from the job",
        };
        const rows = await batchResults(jobId, batch, sizes.get(batchId), poll);
        const expected = sizes.get(batchId) ?? rows.length;
        // every input record gets exactly one result, whatever the server sent
        for (let i = 0; i < expected; i++) {
          results.push(
            rows[i] ?? {
              id: null,
              success: false,
              created: false,
              errors: [
                {
                  statusCode: "UNKNOWN_EXCEPTION",
                  message: `Salesforce returned no result for this row (batch ${batchId})`,
                  fields: [],
                },
              ],
            },
          );
        }
      }
      poll.onProgress({
        type: "rows",
        api: "bulk",
        jobId,
        kind: "successful",
        rows: results.filter((r) => r.success).length,
      });
      poll.onProgress({
        type: "rows",
        api: "bulk",
        jobId,
        kind: "failed",
        rows: results.filter((r) => !r.success).length,
      });
      return results;
    } catch (error) {
      // Whatever failed after the job existed (upload, polling, results), its id is not lost.
      throw withJobIds(error, [{ id: jobId, batchIds: [...batchIds] }], "bulk");
    }
  }

  async function* resultRecords(
    jobId: string,
    batchId: string,
    resultId: string,
    poll: ResolvedPoll,
  ): AsyncGenerator<Record<string, unknown>> {
    const response = await call<Readable>({
      path: `${base()}/job/${jobId}/batch/${batchId}/result/${resultId}`,
      responseType: "stream",
      ...(poll.signal ? { signal: poll.signal } : {}),
    });
    const type = (response.headers["content-type"] ?? "").toLowerCase();
    const stream = response.data;
    if (type.includes("csv")) {
      // "Records not found for this query" is Salesforce's way of saying zero rows (F14)
      const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const first = await iterator.next();
      if (first.done) return;
      const head = Buffer.from(first.value);
      if (head.toString("utf8", 0, 64).startsWith("Records not found for this query")) {
        stream.destroy();
        return;
      }
      async function* again(): AsyncGenerator<Buffer> {
        yield head;
        for (let next = await iterator.next(); !next.done; next = await iterator.next())
          yield Buffer.from(next.value);
      }
      yield* parseCsvRows(again());
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    const text = Buffer.concat(chunks).toString("utf8").trim();
    if (!text || text.startsWith("Records not found")) return;
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed)) yield* parsed as Record<string, unknown>[];
  }

  async function* queryRecordsOfJob(
    jobId: string,
    poll: ResolvedPoll,
  ): AsyncGenerator<Record<string, unknown>> {
    const batches = await waitForBatches(jobId, poll);
    const failed = batches.find((b) => b.state === "Failed");
    if (failed) {
      throw new BulkJobError(
        `Bulk 1.0 query batch ${failed.id} of job ${jobId} failed: ${failed.stateMessage ?? "no reason given"}`,
        {
          jobId,
          batchId: String(failed.id),
          state: "Failed",
          job: { id: jobId, batches },
          errorCode: /^(\w+)\s*:/.exec(String(failed.stateMessage ?? ""))?.[1] ?? "BATCH_FAILED",
        },
      );
    }
    let rows = 0;
    for (const batch of batches) {
      if (batch.state !== "Completed") continue; // the PK-chunking original is "Not Processed"
      const { data } = await call({
        path: `${base()}/job/${jobId}/batch/${batch.id}/result`,
        ...(poll.signal ? { signal: poll.signal } : {}),
      });
      const ids =
        typeof data === "string"
          ? [...data.matchAll(/<result>([^<]+)<\/result>/g)].map((m) => m[1]!)
          : Array.isArray(data)
            ? data.map(String)
            : [];
      for (const resultId of ids) {
        for await (const record of resultRecords(jobId, String(batch.id), resultId, poll)) {
          rows++;
          yield record;
          throwIfAborted(poll.signal, `Reading the results of Bulk 1.0 query job ${jobId}`);
        }
      }
    }
    poll.onProgress({ type: "rows", api: "bulk", jobId, kind: "query", rows });
  }

  async function* queryIter(
    object: string,
    soql: string,
    options: Bulk1QueryOptions & { all?: boolean } = {},
  ): AsyncGenerator<Record<string, unknown>> {
    if (typeof soql !== "string" || !soql.trim()) {
      throw new ConfigurationError(
        `bulk.${object}.query() needs a SOQL string, e.g. "SELECT Id FROM ${object}".`,
      );
    }
    checkBulkOptions(options, [...OPTION_NAMES.bulk1Query, "all"], `bulk.${object}.query()`);
    const poll = resolvePoll(settings, options);
    const contentType = options.contentType ?? "JSON";
    if (contentType !== "JSON" && contentType !== "CSV") {
      throw new ConfigurationError(
        `contentType must be "JSON" or "CSV", not ${JSON.stringify(contentType)}.`,
      );
    }
    const headers: Record<string, string> = {};
    const pk = options.pkChunking;
    if (pk) {
      if (pk === true) headers["sforce-enable-pkchunking"] = "TRUE";
      else if (typeof pk === "number") headers["sforce-enable-pkchunking"] = `chunkSize=${pk}`;
      else {
        const parts = [
          ...(pk.chunkSize ? [`chunkSize=${pk.chunkSize}`] : []),
          ...(pk.startRow ? [`startRow=${pk.startRow}`] : []),
          ...(pk.parent ? [`parent=${pk.parent}`] : []),
        ];
        headers["sforce-enable-pkchunking"] = parts.length ? parts.join("; ") : "TRUE";
      }
    }
    const operation = options.all ? "queryAll" : "query";
    const jobId = await createJob(
      object,
      operation,
      contentType,
      { concurrencyMode: "Parallel" },
      headers,
      poll,
    );
    try {
      await call({
        method: "POST",
        path: `${base()}/job/${jobId}/batch`,
        headers: {
          "content-type":
            contentType === "JSON" ? "application/json; charset=UTF-8" : "text/csv; charset=UTF-8",
        },
        body: soql,
        ...(poll.signal ? { signal: poll.signal } : {}),
      });
    } finally {
      await closeJob(jobId, poll).catch(() => undefined);
    }
    yield* queryRecordsOfJob(jobId, poll);
  }

  const objects = new Map<string, BulkObject>();
  const forObject = (name: string): BulkObject => {
    let found = objects.get(name);
    if (!found) {
      found = {
        insert: (records, o) => dml(name, "insert", records, undefined, o),
        update: (records, o) => dml(name, "update", records, undefined, o),
        upsert: (records, externalIdField, o) => dml(name, "upsert", records, externalIdField, o),
        delete: (records, o) => dml(name, "delete", records, undefined, o),
        hardDelete: (records, o) => dml(name, "hardDelete", records, undefined, o),
        async query(soql, o) {
          const out: Record<string, unknown>[] = [];
          for await (const record of queryIter(name, soql, o)) out.push(record);
          return out;
        },
        async queryAll(soql, o) {
          const out: Record<string, unknown>[] = [];
          for await (const record of queryIter(name, soql, { ...o, all: true })) out.push(record);
          return out;
        },
        queryIter: (soql, o) => queryIter(name, soql, o),
      };
      objects.set(name, found);
    }
    return found;
  };

  const jobs: BulkJobs = {
    sobject(name) {
      if (typeof name !== "string" || !OBJECT_NAME.test(name)) {
        throw new ConfigurationError(
          `${JSON.stringify(name)} is not an sObject name (e.g. "Account", "Widget__c").`,
        );
      }
      return forObject(name);
    },
    async job(jobId) {
      const { data } = await call({ path: `${base()}/job/${ensureId(jobId)}` });
      return singleInfo(data, "jobInfo");
    },
    batches: (jobId) => listBatches(jobId),
    async resume(jobId, options = {}) {
      checkBulkOptions(options, OPTION_NAMES.bulk1Resume, "bulk.resume()");
      const poll = resolvePoll(settings, options);
      const info = await jobs.job(jobId);
      if (info.operation === "query" || info.operation === "queryAll") {
        const out: Record<string, unknown>[] = [];
        for await (const record of queryRecordsOfJob(jobId, poll)) out.push(record);
        return out;
      }
      const batches = await waitForBatches(jobId, poll);
      const results: BulkResult[] = [];
      for (const batch of batches) results.push(...(await batchResults(jobId, batch, undefined, poll)));
      return results;
    },
    async abort(jobId) {
      const { data } = await call({
        method: "POST",
        path: `${base()}/job/${ensureId(jobId)}`,
        headers: { "content-type": "application/json; charset=UTF-8" },
        body: JSON.stringify({ state: "Aborted" }),
      });
      return singleInfo(data, "jobInfo");
    },
  };

  return new Proxy(jobs as Bulk, {
    get(target, property) {
      if (typeof property !== "string") return undefined;
      if (Object.hasOwn(target, property)) return (target as unknown as Record<string, unknown>)[property];
      if (property === "then" || !OBJECT_NAME.test(property)) return undefined;
      return forObject(property);
    },
  });
}
