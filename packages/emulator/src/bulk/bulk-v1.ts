// Bulk API 1.0 (`/services/async/NN.0/job…`): jobs and batches in XML or JSON (by the
// request's content type for job calls, by the job's content type for batch calls), CSV /
// XML / JSON batch data, batches processed in the background (Parallel or Serial), DML
// results in input order, query batches with result files and optional PK chunking, and
// errors as `<error><exceptionCode>…` (400 InvalidSessionId for an expired session).
import { parse as parseCsvSync } from "csv-parse/sync";
import type { RequestContext } from "../context.js";
import { HttpError } from "../errors.js";
import { normalizeId } from "../ids.js";
import { JsonDouble, toJson } from "../json.js";
import type { Org } from "../org.js";
import type { Router } from "../router.js";
import type { ObjectDef } from "../schema/types.js";
import { executeSoql, type QueryResult } from "../soql/engine.js";
import type { StoredRecord } from "../store.js";
import { children, parseXml, type XmlElement, XmlParseError, escapeXml } from "../xml.js";
import { quoteAll } from "./bulk-csv.js";
import { isoOffset, isoZ, type Pace } from "./bulk-http.js";
import {
  applyRow,
  type BulkOperation,
  type Column,
  ColumnError,
  type RowOutcome,
  resolveColumns,
} from "./bulk-rows.js";

const NS = "http://www.force.com/2009/06/asyncapi/dataload";
const OPERATIONS = new Set(["insert", "update", "upsert", "delete", "hardDelete", "query", "queryAll"]);
const CONTENT_TYPES = new Set(["CSV", "XML", "JSON"]);
const MAX_BATCH_RECORDS = 10_000;
const MAX_BATCH_BYTES = 10_000_000;

interface V1Batch {
  id: string;
  jobId: string;
  state: "Queued" | "InProgress" | "Completed" | "Failed" | "Not Processed";
  stateMessage: string | undefined;
  createdDate: number;
  systemModstamp: number;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
  request: Buffer;
  results: RowOutcome[];
  /** Query batches: result file ids and the rows of each. */
  resultIds: string[];
  resultRows: unknown[][];
  query: QueryResult | undefined;
}

interface V1Job {
  id: string;
  operation: string;
  object: string;
  def: ObjectDef;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  state: "Open" | "Closed" | "Aborted" | "Failed";
  externalIdFieldName: string | undefined;
  assignmentRuleId: string | undefined;
  concurrencyMode: "Parallel" | "Serial";
  contentType: string;
  apiVersion: string;
  batches: V1Batch[];
  pkChunking: { chunkSize: number; startRow: string | undefined } | undefined;
  serial: Promise<void>;
}

/** A Bulk 1.0 error: `<error><exceptionCode>…` or `{"exceptionCode":…}`. */
class AsyncApiError extends Error {
  constructor(
    readonly status: number,
    readonly exceptionCode: string,
    readonly exceptionMessage: string,
  ) {
    super(`${exceptionCode}: ${exceptionMessage}`);
  }
}

function wantsJson(contentType: string | undefined): boolean {
  return /json/i.test(contentType ?? "");
}

/** XML documents the way the async API writes them: `<root\n   xmlns="…">` and 1-space indents. */
function xmlDocument(root: string, fields: [string, unknown][]): string {
  const body = fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` <${k}>${escapeXml(String(v))}</${k}>\n`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?><${root}\n   xmlns="${NS}">\n${body}</${root}>`;
}

function sortedObject(fields: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (v !== undefined) out[k] = v;
  return out;
}

export class BulkV1 {
  readonly jobs = new Map<string, V1Job>();

  constructor(
    private readonly org: Pick<Org, "store" | "schema">,
    private readonly pace: Pace,
  ) {}

  static register(router: Router, forOrg: (org: Org) => BulkV1): void {
    const onAuthFailure = (ctx: RequestContext) => {
      const job = ctx.params.jobId
        ? forOrg(ctx.org).jobs.get(normalizeId(ctx.params.jobId) ?? "")
        : undefined;
      const json = wantsJson(ctx.header("content-type")) || job?.contentType === "JSON";
      sendError(ctx, new AsyncApiError(400, "InvalidSessionId", "Invalid session id"), json);
    };
    const wrap =
      (fn: (self: BulkV1, ctx: RequestContext) => void | Promise<void>) =>
      async (ctx: RequestContext): Promise<void> => {
        const self = forOrg(ctx.org);
        const version = /^(\d+)\.0$/.exec(ctx.params.asyncVersion ?? "");
        try {
          if (!version)
            throw new AsyncApiError(
              400,
              "InvalidVersion",
              `Invalid version ${ctx.params.asyncVersion ?? ""} specified in the URL`,
            );
          await fn(self, ctx);
        } catch (error) {
          if (!(error instanceof AsyncApiError)) throw error;
          const job = ctx.params.jobId ? self.jobs.get(normalizeId(ctx.params.jobId) ?? "") : undefined;
          sendError(
            ctx,
            error,
            wantsJson(ctx.header("content-type")) || (ctx.method === "GET" && job?.contentType === "JSON"),
          );
        }
      };
    const opts = { onAuthFailure };
    const base = "/services/async/:asyncVersion/job";
    router.post(
      base,
      wrap((self, ctx) => self.createJob(ctx)),
      opts,
    );
    router.get(
      `${base}/:jobId`,
      wrap((self, ctx) => self.sendJob(ctx, self.job(ctx), false)),
      opts,
    );
    router.post(
      `${base}/:jobId`,
      wrap((self, ctx) => self.changeJob(ctx)),
      opts,
    );
    router.post(
      `${base}/:jobId/batch`,
      wrap((self, ctx) => self.addBatch(ctx)),
      opts,
    );
    router.get(
      `${base}/:jobId/batch`,
      wrap((self, ctx) => self.listBatches(ctx)),
      opts,
    );
    router.get(
      `${base}/:jobId/batch/:batchId`,
      wrap((self, ctx) => self.sendBatch(ctx, self.batch(ctx))),
      opts,
    );
    router.get(
      `${base}/:jobId/batch/:batchId/request`,
      wrap((self, ctx) => self.batchRequest(ctx)),
      opts,
    );
    router.get(
      `${base}/:jobId/batch/:batchId/result`,
      wrap((self, ctx) => self.batchResult(ctx)),
      opts,
    );
    router.get(
      `${base}/:jobId/batch/:batchId/result/:resultId`,
      wrap((self, ctx) => self.queryResult(ctx)),
      opts,
    );
  }

  // ------------------------------------------------------------------ jobs

  private job(ctx: RequestContext): V1Job {
    const id = normalizeId(ctx.params.jobId ?? "");
    const job = id ? this.jobs.get(id) : undefined;
    if (!job) throw new AsyncApiError(400, "InvalidJob", `Invalid job id: ${ctx.params.jobId ?? ""}`);
    return job;
  }

  /** Job create and close bodies: XML `<jobInfo>` or a JSON object. */
  private jobFields(ctx: RequestContext): Record<string, string> {
    const text = ctx.text();
    if (wantsJson(ctx.header("content-type")) || /^\s*\{/.test(text)) {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
      } catch {
        throw new AsyncApiError(400, "InvalidJob", "Unable to parse the JSON job information");
      }
    }
    let root: XmlElement;
    try {
      root = parseXml(text);
    } catch (error) {
      throw new AsyncApiError(
        400,
        "InvalidXML",
        error instanceof XmlParseError ? error.message : "Invalid XML",
      );
    }
    return Object.fromEntries(root.children.map((c) => [c.name, c.text.trim()]));
  }

  private createJob(ctx: RequestContext): void {
    const fields = this.jobFields(ctx);
    const operation = fields.operation ?? "";
    if (!OPERATIONS.has(operation))
      throw new AsyncApiError(400, "InvalidJob", `Invalid operation: ${operation || "(none)"}`);
    const def = this.org.schema.get(fields.object ?? "");
    if (!def)
      throw new AsyncApiError(
        400,
        "InvalidEntity",
        `Entity '${fields.object ?? ""}' is not supported by the Bulk API.`,
      );
    const contentType = fields.contentType ?? (wantsJson(ctx.header("content-type")) ? "JSON" : "XML");
    if (!CONTENT_TYPES.has(contentType))
      throw new AsyncApiError(400, "InvalidJob", `Unsupported content type: ${contentType}`);
    let externalIdFieldName: string | undefined;
    if (operation === "upsert") {
      const field = def.fieldMap.get((fields.externalIdFieldName ?? "").toLowerCase());
      if (!fields.externalIdFieldName)
        throw new AsyncApiError(400, "InvalidJob", "External ID was blank for upsert");
      if (!field || !(field.externalId || field.idLookup || field.type === "id")) {
        throw new AsyncApiError(
          400,
          "InvalidJob",
          `Field ${fields.externalIdFieldName} is not an external id field of ${def.name}`,
        );
      }
      externalIdFieldName = field.name;
    }
    const concurrency = fields.concurrencyMode ?? "Parallel";
    if (concurrency !== "Parallel" && concurrency !== "Serial") {
      throw new AsyncApiError(
        400,
        "InvalidJob",
        `Invalid concurrency mode: ${concurrency}; use Parallel or Serial`,
      );
    }
    let pkChunking: V1Job["pkChunking"];
    const pkHeader = ctx.header("sforce-enable-pkchunking");
    if (pkHeader && !/^false$/i.test(pkHeader.trim())) {
      const size = /chunkSize=(\d+)/i.exec(pkHeader)?.[1];
      const chunkSize = size ? Number(size) : 100_000;
      if (chunkSize < 1 || chunkSize > 250_000) {
        throw new AsyncApiError(400, "InvalidJob", `Invalid chunkSize ${chunkSize}: use 1 to 250000`);
      }
      pkChunking = { chunkSize, startRow: /startRow=([A-Za-z0-9]+)/i.exec(pkHeader)?.[1] };
    }
    const now = Date.now();
    const job: V1Job = {
      id: this.org.store.ids.next("750"),
      operation,
      object: def.name,
      def,
      createdById: ctx.session?.userId ?? "",
      createdDate: now,
      systemModstamp: now,
      state: "Open",
      externalIdFieldName,
      assignmentRuleId: fields.assignmentRuleId,
      concurrencyMode: concurrency,
      contentType,
      apiVersion: `${/^(\d+)/.exec(ctx.params.asyncVersion ?? "62")?.[1] ?? "62"}.0`,
      batches: [],
      pkChunking,
      serial: Promise.resolve(),
    };
    this.jobs.set(job.id, job);
    this.sendJob(ctx, job, true, 201);
  }

  private sendJob(ctx: RequestContext, job: V1Job, byRequest: boolean, status = 200): void {
    const json =
      byRequest || ctx.method !== "GET" ? wantsJson(ctx.header("content-type")) : job.contentType === "JSON";
    const count = (state: V1Batch["state"]) => job.batches.filter((b) => b.state === state).length;
    const processed = job.batches.reduce((n, b) => n + b.numberRecordsProcessed, 0);
    const failed = job.batches.reduce((n, b) => n + b.numberRecordsFailed, 0);
    const time = job.batches.reduce((n, b) => n + b.totalProcessingTime, 0);
    if (json) {
      const body = sortedObject([
        ["apexProcessingTime", 0],
        ["apiActiveProcessingTime", time],
        ["apiVersion", new JsonDouble(Number(job.apiVersion))],
        ["assignmentRuleId", job.assignmentRuleId],
        ["concurrencyMode", job.concurrencyMode],
        ["contentType", job.contentType],
        ["createdById", job.createdById],
        ["createdDate", isoOffset(job.createdDate)],
        ["externalIdFieldName", job.externalIdFieldName],
        ["id", job.id],
        ["numberBatchesCompleted", count("Completed")],
        ["numberBatchesFailed", count("Failed")],
        ["numberBatchesInProgress", count("InProgress")],
        ["numberBatchesQueued", count("Queued")],
        ["numberBatchesTotal", job.batches.length],
        ["numberRecordsFailed", failed],
        ["numberRecordsProcessed", processed],
        ["numberRetries", 0],
        ["object", job.object],
        ["operation", job.operation],
        ["state", job.state],
        ["systemModstamp", isoOffset(job.systemModstamp)],
        ["totalProcessingTime", time],
      ]);
      ctx.send(status, toJson(body, ctx.pretty), { "Content-Type": "application/json" });
      return;
    }
    const xml = xmlDocument("jobInfo", [
      ["id", job.id],
      ["operation", job.operation],
      ["object", job.object],
      ["createdById", job.createdById],
      ["createdDate", isoZ(job.createdDate)],
      ["systemModstamp", isoZ(job.systemModstamp)],
      ["state", job.state],
      ["externalIdFieldName", job.externalIdFieldName],
      ["concurrencyMode", job.concurrencyMode],
      ["contentType", job.contentType],
      ["numberBatchesQueued", count("Queued")],
      ["numberBatchesInProgress", count("InProgress")],
      ["numberBatchesCompleted", count("Completed")],
      ["numberBatchesFailed", count("Failed")],
      ["numberBatchesTotal", job.batches.length],
      ["numberRecordsProcessed", processed],
      ["numberRetries", 0],
      ["apiVersion", job.apiVersion],
      ["assignmentRuleId", job.assignmentRuleId],
      ["numberRecordsFailed", failed],
      ["totalProcessingTime", time],
      ["apiActiveProcessingTime", time],
      ["apexProcessingTime", 0],
    ]);
    ctx.send(status, xml, { "Content-Type": "application/xml" });
  }

  private changeJob(ctx: RequestContext): void {
    const job = this.job(ctx);
    const state = this.jobFields(ctx).state;
    if (state === "Closed") {
      if (job.state !== "Open")
        throw new AsyncApiError(
          400,
          "InvalidJobState",
          `Job with id ${job.id} is ${job.state}; only an Open job can be closed`,
        );
      job.state = "Closed";
    } else if (state === "Aborted") {
      if (job.state === "Aborted" || job.state === "Failed") {
        throw new AsyncApiError(400, "InvalidJobState", `Job with id ${job.id} is already ${job.state}`);
      }
      job.state = "Aborted";
      for (const batch of job.batches) {
        if (batch.state === "Queued") {
          batch.state = "Not Processed";
          batch.systemModstamp = Date.now();
        }
      }
    } else {
      throw new AsyncApiError(
        400,
        "InvalidJobState",
        `Invalid state: ${state ?? "(none)"}; use Closed or Aborted`,
      );
    }
    job.systemModstamp = Date.now();
    this.sendJob(ctx, job, true);
  }

  // ------------------------------------------------------------------ batches

  private batch(ctx: RequestContext): V1Batch {
    const job = this.job(ctx);
    const id = normalizeId(ctx.params.batchId ?? "");
    const batch = job.batches.find((b) => b.id === id);
    if (!batch) throw new AsyncApiError(400, "InvalidBatch", `Invalid batch id: ${ctx.params.batchId ?? ""}`);
    return batch;
  }

  private newBatch(job: V1Job, request: Buffer): V1Batch {
    const now = Date.now();
    return {
      id: this.org.store.ids.next("751"),
      jobId: job.id,
      state: "Queued",
      stateMessage: undefined,
      createdDate: now,
      systemModstamp: now,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
      request,
      results: [],
      resultIds: [],
      resultRows: [],
      query: undefined,
    };
  }

  private addBatch(ctx: RequestContext): void {
    const job = this.job(ctx);
    if (job.state !== "Open") {
      throw new AsyncApiError(
        400,
        "InvalidJobState",
        `Job with Id ${job.id} is ${job.state}: batches can only be added to an Open job`,
      );
    }
    if (ctx.body.length > MAX_BATCH_BYTES) {
      throw new AsyncApiError(
        400,
        "ExceededQuota",
        `The batch is ${ctx.body.length} bytes; a batch holds at most ${MAX_BATCH_BYTES} bytes`,
      );
    }
    const batch = this.newBatch(job, ctx.body);
    let input:
      | { header: string[]; rows: string[][] }
      | { records: Record<string, unknown>[] }
      | { soql: string };
    if (job.operation === "query" || job.operation === "queryAll") {
      input = { soql: ctx.text() };
    } else {
      input = this.parseBatch(job, ctx.text());
      const count = "records" in input ? input.records.length : input.rows.length;
      if (count > MAX_BATCH_RECORDS) {
        batch.state = "Failed";
        batch.stateMessage = `InvalidBatch : Records in a single batch exceeds the limit of ${MAX_BATCH_RECORDS}`;
      }
    }
    job.batches.push(batch);
    job.systemModstamp = Date.now();
    if (batch.state === "Queued") {
      const run = () => this.runBatch(job, batch, input);
      if (job.concurrencyMode === "Serial") job.serial = job.serial.then(run, run);
      else void run();
    }
    this.sendBatch(ctx, batch, 201, job);
  }

  private parseBatch(
    job: V1Job,
    text: string,
  ): { header: string[]; rows: string[][] } | { records: Record<string, unknown>[] } {
    if (job.contentType === "JSON") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new AsyncApiError(400, "InvalidBatch", `Failed to parse JSON: ${(error as Error).message}`);
      }
      if (!Array.isArray(parsed) || parsed.some((r) => !r || typeof r !== "object" || Array.isArray(r))) {
        throw new AsyncApiError(400, "InvalidBatch", "A JSON batch is an array of records");
      }
      return { records: parsed as Record<string, unknown>[] };
    }
    if (job.contentType === "XML") {
      let root: XmlElement;
      try {
        root = parseXml(text);
      } catch (error) {
        throw new AsyncApiError(400, "InvalidBatch", `Failed to parse XML: ${(error as Error).message}`);
      }
      return { records: children(root, "sObject").map(xmlRecord) };
    }
    let rows: string[][];
    try {
      rows = parseCsvSync(text, {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
      }) as string[][];
    } catch (error) {
      throw new AsyncApiError(400, "InvalidBatch", `Failed to parse CSV: ${(error as Error).message}`);
    }
    const [header, ...data] = rows;
    if (!header)
      throw new AsyncApiError(400, "InvalidBatch", "The CSV batch is empty: it needs a header row");
    return { header, rows: data };
  }

  private async runBatch(
    job: V1Job,
    batch: V1Batch,
    input: { header: string[]; rows: string[][] } | { records: Record<string, unknown>[] } | { soql: string },
  ): Promise<void> {
    await this.pace.start();
    if (batch.state !== "Queued" || this.pace.closed) return;
    batch.state = "InProgress";
    const started = Date.now();
    batch.systemModstamp = started;
    const finish = (state: V1Batch["state"], message?: string) => {
      batch.state = state;
      batch.stateMessage = message;
      batch.systemModstamp = Date.now();
      batch.totalProcessingTime = batch.systemModstamp - started;
      job.systemModstamp = batch.systemModstamp;
    };
    if ("soql" in input) return this.runQueryBatch(job, batch, input.soql, finish);
    const ctx = {
      store: this.org.store,
      schema: this.org.schema,
      def: job.def,
      operation: job.operation as BulkOperation,
      externalIdField: job.externalIdFieldName,
      userId: job.createdById,
    };
    let columns: Column[] | undefined;
    if ("header" in input) {
      try {
        columns = resolveColumns(this.org.schema, job.def, input.header);
      } catch (error) {
        if (error instanceof ColumnError) return finish("Failed", error.message);
        throw error;
      }
    }
    const total = "records" in input ? input.records.length : input.rows.length;
    for (let i = 0; i < total; i++) {
      const outcome =
        "records" in input
          ? applyRow(ctx, { record: input.records[i]! })
          : applyRow(ctx, { columns: columns!, cells: input.rows[i]! });
      batch.results.push(outcome);
      batch.numberRecordsProcessed++;
      if (!outcome.success) batch.numberRecordsFailed++;
      if (i % this.pace.options.rowsPerTick === this.pace.options.rowsPerTick - 1) {
        await this.pace.slice();
        if (this.pace.closed) return;
      }
    }
    finish("Completed");
  }

  private async runQueryBatch(
    job: V1Job,
    batch: V1Batch,
    soql: string,
    finish: (state: V1Batch["state"], message?: string) => void,
  ): Promise<void> {
    let result: QueryResult;
    try {
      result = executeSoql(this.org, soql, { includeDeleted: job.operation === "queryAll" });
    } catch (error) {
      const detail = error instanceof HttpError ? JSON.stringify(error.body) : (error as Error).message;
      return finish("Failed", `InvalidBatch : Failed to process query: ${detail}`);
    }
    if (result.aggregate || result.countOnly) {
      return finish(
        "Failed",
        "InvalidBatch : Failed to process query: Aggregate Relationship is not supported in Bulk Query",
      );
    }
    batch.query = result;
    const perFile = this.pace.options.queryResultRows;
    const split = (target: V1Batch, rows: readonly unknown[]) => {
      target.query = result;
      for (let start = 0; start === 0 || start < rows.length; start += perFile) {
        target.resultIds.push(this.org.store.ids.next("752").slice(0, 15));
        target.resultRows.push(rows.slice(start, start + perFile) as unknown[]);
        if (rows.length === 0) break;
      }
      target.numberRecordsProcessed = rows.length;
    };
    if (!job.pkChunking) {
      split(batch, result.rows);
      await this.pace.slice();
      return finish("Completed");
    }
    // PK chunking: one batch per id range; the original batch is "Not Processed".
    const sorted = [...(result.rows as StoredRecord[])].sort((a, b) =>
      a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0,
    );
    const from = job.pkChunking.startRow
      ? (normalizeId(job.pkChunking.startRow) ?? job.pkChunking.startRow)
      : undefined;
    const rows = from ? sorted.filter((r) => r.Id >= from) : sorted;
    const { chunkSize } = job.pkChunking;
    for (let start = 0; start === 0 || start < rows.length; start += chunkSize) {
      const chunk = this.newBatch(job, Buffer.from(soql));
      chunk.state = "InProgress";
      job.batches.push(chunk);
      split(chunk, rows.slice(start, start + chunkSize));
      if (rows.length === 0) break;
    }
    await this.pace.slice();
    for (const chunk of job.batches) {
      if (chunk !== batch && chunk.state === "InProgress" && chunk.query === result) {
        chunk.state = "Completed";
        chunk.systemModstamp = Date.now();
      }
    }
    finish("Not Processed");
  }

  private batchFields(batch: V1Batch): [string, unknown][] {
    return [
      ["id", batch.id],
      ["jobId", batch.jobId],
      ["state", batch.state],
      ["stateMessage", batch.stateMessage],
      ["createdDate", batch.createdDate],
      ["systemModstamp", batch.systemModstamp],
      ["numberRecordsProcessed", batch.numberRecordsProcessed],
      ["numberRecordsFailed", batch.numberRecordsFailed],
      ["totalProcessingTime", batch.totalProcessingTime],
      ["apiActiveProcessingTime", batch.totalProcessingTime],
      ["apexProcessingTime", 0],
    ];
  }

  private batchJson(batch: V1Batch): Record<string, unknown> {
    const fields = this.batchFields(batch).map(([k, v]): [string, unknown] =>
      k === "createdDate" || k === "systemModstamp"
        ? [k, isoOffset(v as number)]
        : k === "stateMessage"
          ? [k, v ?? null]
          : [k, v],
    );
    return sortedObject(fields);
  }

  private batchXml(batch: V1Batch, indent: string): string {
    return this.batchFields(batch)
      .filter(([, v]) => v !== undefined)
      .map(
        ([k, v]) =>
          `${indent}<${k}>${escapeXml(k === "createdDate" || k === "systemModstamp" ? isoZ(v as number) : String(v))}</${k}>\n`,
      )
      .join("");
  }

  private sendBatch(ctx: RequestContext, batch: V1Batch, status = 200, job = this.job(ctx)): void {
    if (job.contentType === "JSON") {
      ctx.send(status, toJson(this.batchJson(batch), ctx.pretty), { "Content-Type": "application/json" });
      return;
    }
    const xml = `<?xml version="1.0" encoding="UTF-8"?><batchInfo\n   xmlns="${NS}">\n${this.batchXml(batch, " ")}</batchInfo>`;
    ctx.send(status, xml, { "Content-Type": "application/xml" });
  }

  private listBatches(ctx: RequestContext): void {
    const job = this.job(ctx);
    if (job.contentType === "JSON") {
      ctx.send(200, toJson({ batchInfo: job.batches.map((b) => this.batchJson(b)) }, ctx.pretty), {
        "Content-Type": "application/json",
      });
      return;
    }
    const xml = job.batches.length
      ? `<?xml version="1.0" encoding="UTF-8"?><batchInfoList\n   xmlns="${NS}">\n${job.batches
          .map((b) => ` <batchInfo>\n${this.batchXml(b, "  ")} </batchInfo>\n`)
          .join("")}</batchInfoList>`
      : `<?xml version="1.0" encoding="UTF-8"?><batchInfoList\n   xmlns="${NS}" />`;
    ctx.send(200, xml, { "Content-Type": "application/xml" });
  }

  private batchRequest(ctx: RequestContext): void {
    const job = this.job(ctx);
    const batch = this.batch(ctx);
    const type =
      job.contentType === "JSON"
        ? "application/json"
        : job.contentType === "CSV"
          ? "text/csv"
          : "application/xml";
    ctx.send(200, batch.request, { "Content-Type": type });
  }

  private batchResult(ctx: RequestContext): void {
    const job = this.job(ctx);
    const batch = this.batch(ctx);
    if (batch.state === "Failed")
      throw new AsyncApiError(400, "InvalidBatch", `Batch failed: ${batch.stateMessage ?? ""}`);
    if (batch.state !== "Completed") throw new AsyncApiError(400, "InvalidBatch", `Batch not completed`);
    const isQuery = job.operation === "query" || job.operation === "queryAll";
    if (job.contentType === "JSON") {
      const body = isQuery
        ? batch.resultIds
        : batch.results.map((r) => ({
            success: r.success,
            created: r.created,
            id: r.id,
            errors: r.errors.map((e) =>
              sortedObject([
                ["fields", e.fields],
                ["message", e.message],
                ["statusCode", e.statusCode],
              ]),
            ),
          }));
      ctx.send(200, toJson(body, ctx.pretty), { "Content-Type": "application/json" });
      return;
    }
    if (isQuery) {
      const xml = `<result-list xmlns="${NS}">${batch.resultIds.map((id) => `<result>${id}</result>`).join("")}</result-list>`;
      ctx.send(200, xml, { "Content-Type": "application/xml" });
      return;
    }
    if (job.contentType === "CSV") {
      let csv = `${quoteAll(["Id", "Success", "Created", "Error"], ",")}\n`;
      for (const r of batch.results)
        csv += `${quoteAll([r.id ?? "", String(r.success), String(r.created), r.error], ",")}\n`;
      ctx.send(200, csv, { "Content-Type": "text/csv" });
      return;
    }
    const items = batch.results
      .map((r) => {
        const errors = r.errors
          .map(
            (e) =>
              `<errors>${e.fields.map((f) => `<fields>${escapeXml(f)}</fields>`).join("")}<message>${escapeXml(e.message)}</message><statusCode>${e.statusCode}</statusCode></errors>`,
          )
          .join("");
        return `<result>${errors}${r.id ? `<id>${r.id}</id>` : '<id xsi:nil="true"/>'}<success>${r.success}</success><created>${r.created}</created></result>`;
      })
      .join("");
    const xml = `<?xml version="1.0" encoding="UTF-8"?><results xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${items}</results>`;
    ctx.send(200, xml, { "Content-Type": "application/xml" });
  }

  private queryResult(ctx: RequestContext): void {
    const job = this.job(ctx);
    const batch = this.batch(ctx);
    const index = batch.resultIds.findIndex(
      (id) => id === ctx.params.resultId || id === ctx.params.resultId?.slice(0, 15),
    );
    if (index < 0 || !batch.query)
      throw new AsyncApiError(400, "InvalidBatch", `Invalid result id: ${ctx.params.resultId ?? ""}`);
    const rows = batch.resultRows[index]!;
    const result = batch.query;
    const version = job.apiVersion;
    if (job.contentType === "CSV") {
      if (rows.length === 0) {
        ctx.send(200, "Records not found for this query", { "Content-Type": "text/csv" });
        return;
      }
      const lines = [quoteAll(result.columns, ",")];
      for (const row of rows) lines.push(quoteAll(result.flatten(row), ","));
      ctx.send(200, `${lines.join("\n")}\n`, { "Content-Type": "text/csv" });
      return;
    }
    const records = rows.map((row) => result.render(row, { version }));
    if (job.contentType === "JSON") {
      ctx.send(200, toJson(records, ctx.pretty), { "Content-Type": "application/json" });
      return;
    }
    const xml = `<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${records
      .map((r) => `<records xsi:type="sObject">${xmlFields(r)}</records>`)
      .join("")}</queryResult>`;
    ctx.send(200, xml, { "Content-Type": "application/xml" });
  }
}

/** An `<sObject>` of an XML batch as a record: nested elements are relationships, `xsi:nil` is null. */
function xmlRecord(el: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of el.children) {
    if (c.name === "type") continue;
    if (c.name === "fieldsToNull") {
      out[c.text.trim()] = null;
      continue;
    }
    const nil = Object.entries(c.attrs).some(([k, v]) => /(^|:)nil$/.test(k) && v === "true");
    out[c.name] = nil ? null : c.children.length ? xmlRecord(c) : c.text;
  }
  return out;
}

function xmlFields(record: Record<string, unknown>): string {
  let out = "";
  const type = (record.attributes as { type?: string } | undefined)?.type;
  if (type) out += `<type>${escapeXml(type)}</type>`;
  for (const [k, v] of Object.entries(record)) {
    if (k === "attributes") continue;
    if (v === null || v === undefined) out += `<${k} xsi:nil="true"/>`;
    else if (v instanceof JsonDouble) out += `<${k}>${v.value}</${k}>`;
    else if (typeof v === "object")
      out += `<${k} xsi:type="sObject">${xmlFields(v as Record<string, unknown>)}</${k}>`;
    else out += `<${k}>${escapeXml(String(v))}</${k}>`;
  }
  return out;
}

function sendError(ctx: RequestContext, error: AsyncApiError, json: boolean): void {
  if (json) {
    ctx.send(
      error.status,
      toJson({ exceptionCode: error.exceptionCode, exceptionMessage: error.exceptionMessage }),
      {
        "Content-Type": "application/json",
      },
    );
    return;
  }
  ctx.send(
    error.status,
    xmlDocument("error", [
      ["exceptionCode", error.exceptionCode],
      ["exceptionMessage", error.exceptionMessage],
    ]),
    { "Content-Type": "application/xml" },
  );
}
