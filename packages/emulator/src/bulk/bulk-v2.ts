// Bulk API 2.0 (`/services/data/vNN.0/jobs/ingest…` and `/jobs/query…`): ingest jobs with one
// CSV upload each, processed in the background after UploadComplete, result CSVs with the
// `sf__` columns; query jobs whose rows are read page by page through `Sforce-Locator`.
import type { RequestContext } from "../context.js";
import { HttpError, restError } from "../errors.js";
import { normalizeId } from "../ids.js";
import { JsonDouble } from "../json.js";
import type { ObjectDef } from "../schema/types.js";
import { executeSoql, type QueryResult } from "../soql/engine.js";
import { csvRowBatches, DELIMITERS, LINE_ENDINGS, LineEndingScanner, quoteAll } from "./bulk-csv.js";
import { bodyChunks, isoOffset, type Pace, streamResponse } from "./bulk-http.js";
import type { Router } from "../router.js";
import type { Org } from "../org.js";
import { applyRow, type BulkOperation, ColumnError, resolveColumns } from "./bulk-rows.js";

const INGEST_OPERATIONS = new Set(["insert", "update", "upsert", "delete", "hardDelete"]);

interface JobBase {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  state: string;
  apiVersion: string;
  lineEnding: string;
  columnDelimiter: string;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  errorMessage: string | undefined;
  started: number;
  finished: number;
}

export interface IngestJob extends JobBase {
  kind: "ingest";
  def: ObjectDef;
  externalIdFieldName: string | undefined;
  assignmentRuleId: string | undefined;
  chunks: Buffer[] | undefined;
  scanner: LineEndingScanner;
  /** Per data row: 0 not processed, 1 success, 2 failure. */
  status: Uint8Array;
  created: Uint8Array;
  ids: (string | null)[];
  errors: Map<number, string>;
  header: string[];
}

export interface QueryJob extends JobBase {
  kind: "query";
  query: string;
  result: QueryResult;
}

type Job = IngestJob | QueryJob;

export class BulkV2 {
  readonly jobs = new Map<string, Job>();

  constructor(
    private readonly env: Pick<Org, "store" | "schema">,
    private readonly pace: Pace,
  ) {}

  /** Routes under `/services/data/:version/jobs/...` (Bearer auth, REST-style errors). */
  static register(router: Router, forOrg: (org: Org) => BulkV2): void {
    const base = "/services/data/:version/jobs/:kind";
    const kindOf = (ctx: RequestContext) => {
      const kind = ctx.params.kind?.toLowerCase();
      if (kind !== "ingest" && kind !== "query") throw notFound();
      return kind;
    };
    router.post(base, (ctx) => forOrg(ctx.org).create(ctx, kindOf(ctx)));
    router.get(base, (ctx) => forOrg(ctx.org).list(ctx, kindOf(ctx)));
    router.get(`${base}/:id`, (ctx) => {
      const self = forOrg(ctx.org);
      ctx.sendJson(200, self.info(self.find(kindOf(ctx), ctx.params.id!), true));
    });
    router.patch(`${base}/:id`, (ctx) => {
      const self = forOrg(ctx.org);
      return self.patch(ctx, self.find(kindOf(ctx), ctx.params.id!));
    });
    router.delete(`${base}/:id`, (ctx) => {
      const self = forOrg(ctx.org);
      self.remove(ctx, self.find(kindOf(ctx), ctx.params.id!));
    });
    router.put(
      `${base}/:id/batches`,
      (ctx) => {
        const self = forOrg(ctx.org);
        return self.upload(ctx, self.ingest(kindOf(ctx), ctx.params.id!));
      },
      { streamBody: true },
    );
    for (const resource of ["successfulResults", "failedResults", "unprocessedrecords"]) {
      for (const suffix of ["", "/"]) {
        router.get(`${base}/:id/${resource}${suffix}`, (ctx) => {
          const self = forOrg(ctx.org);
          return self.results(ctx, self.ingest(kindOf(ctx), ctx.params.id!), resource);
        });
      }
    }
    router.get(`${base}/:id/results`, (ctx) => {
      const self = forOrg(ctx.org);
      const job = self.find(kindOf(ctx), ctx.params.id!);
      if (job.kind !== "query") throw notFound();
      return self.queryResults(ctx, job);
    });
  }

  find(kind: string, rawId: string): Job {
    const id = normalizeId(rawId);
    const job = id ? this.jobs.get(id) : undefined;
    if (!job || (kind === "ingest") !== (job.kind === "ingest")) throw notFound();
    return job;
  }

  ingest(kind: string, rawId: string): IngestJob {
    const job = this.find(kind, rawId);
    if (job.kind !== "ingest") throw notFound();
    return job;
  }

  private jsonBody(ctx: RequestContext): Record<string, unknown> {
    const parsed = ctx.json();
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
    throw restError(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of job from a non-object value");
  }

  private checkFormat(body: Record<string, unknown>): { lineEnding: string; columnDelimiter: string } {
    const lineEnding = String(body.lineEnding ?? "LF");
    const columnDelimiter = String(body.columnDelimiter ?? "COMMA");
    if (!(lineEnding in LINE_ENDINGS))
      throw restError(400, "INVALIDJOB", `Invalid line ending: ${lineEnding}. Use LF or CRLF.`);
    if (!(columnDelimiter in DELIMITERS)) {
      throw restError(
        400,
        "INVALIDJOB",
        `Invalid column delimiter: ${columnDelimiter}. Use one of ${Object.keys(DELIMITERS).join(", ")}.`,
      );
    }
    if (body.contentType !== undefined && body.contentType !== "CSV") {
      throw restError(
        400,
        "INVALIDJOB",
        `Invalid content type: ${String(body.contentType)}. Bulk API 2.0 only supports CSV.`,
      );
    }
    return { lineEnding, columnDelimiter };
  }

  private base(
    operation: string,
    object: string,
    userId: string,
    version: string,
    format: { lineEnding: string; columnDelimiter: string },
  ): JobBase {
    const now = Date.now();
    return {
      id: this.env.store.ids.next("750"),
      operation,
      object,
      createdById: userId,
      createdDate: now,
      systemModstamp: now,
      state: "Open",
      apiVersion: version,
      ...format,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      errorMessage: undefined,
      started: 0,
      finished: 0,
    };
  }

  create(ctx: RequestContext, kind: "ingest" | "query"): void {
    const body = this.jsonBody(ctx);
    const version = ctx.apiVersion ?? "62.0";
    const userId = ctx.session?.userId ?? "";
    const format = this.checkFormat(body);
    const operation = String(body.operation ?? "");
    if (kind === "query") {
      if (operation !== "query" && operation !== "queryAll") {
        throw restError(
          400,
          "INVALIDJOB",
          `Invalid operation: ${operation || "(none)"}. A query job's operation is query or queryAll.`,
        );
      }
      const soql = typeof body.query === "string" ? body.query : "";
      if (!soql.trim()) throw restError(400, "INVALIDJOB", "The query field is required for a query job.");
      const result = executeSoql(this.env, soql, { includeDeleted: operation === "queryAll" });
      if (result.aggregate || result.countOnly) {
        throw restError(
          400,
          "INVALIDJOB",
          "Aggregate queries (COUNT, GROUP BY, SUM...) are not supported by Bulk API 2.0 query.",
        );
      }
      const job: QueryJob = {
        ...this.base(operation, result.object.name, userId, version, format),
        kind: "query",
        query: soql,
        result,
      };
      job.state = "UploadComplete";
      this.jobs.set(job.id, job);
      void this.runQuery(job);
      ctx.sendJson(200, this.info(job, false));
      return;
    }
    if (!INGEST_OPERATIONS.has(operation)) {
      throw restError(
        400,
        "INVALIDJOB",
        `Invalid operation: ${operation || "(none)"}. Use insert, update, upsert, delete or hardDelete.`,
      );
    }
    const def = this.env.schema.get(String(body.object ?? ""));
    if (!def)
      throw restError(
        400,
        "INVALIDJOB",
        `Entity '${String(body.object ?? "")}' is not supported by the Bulk API.`,
      );
    let externalIdFieldName: string | undefined;
    if (operation === "upsert") {
      const name = typeof body.externalIdFieldName === "string" ? body.externalIdFieldName : "";
      const field = def.fieldMap.get(name.toLowerCase());
      if (!name)
        throw restError(
          400,
          "INVALIDJOB",
          "External ID field name is required for upsert (externalIdFieldName).",
        );
      if (!field || !(field.externalId || field.idLookup || field.type === "id")) {
        throw restError(400, "INVALIDJOB", `The field ${name} is not an external id field of ${def.name}.`);
      }
      externalIdFieldName = field.name;
    }
    const job: IngestJob = {
      ...this.base(operation, def.name, userId, version, format),
      kind: "ingest",
      def,
      externalIdFieldName,
      assignmentRuleId: typeof body.assignmentRuleId === "string" ? body.assignmentRuleId : undefined,
      chunks: undefined,
      scanner: new LineEndingScanner(),
      status: new Uint8Array(0),
      created: new Uint8Array(0),
      ids: [],
      errors: new Map(),
      header: [],
    };
    this.jobs.set(job.id, job);
    ctx.sendJson(200, this.info(job, false));
  }

  list(ctx: RequestContext, kind: "ingest" | "query"): void {
    const records = [...this.jobs.values()]
      .filter((j) => (j.kind === "ingest") === (kind === "ingest"))
      .map((j) => this.info(j, true));
    ctx.sendJson(200, { done: true, records, nextRecordsUrl: null });
  }

  /** Job info in the key order of Salesforce's examples. */
  info(job: Job, full: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      id: job.id,
      operation: job.operation,
      object: job.object,
      createdById: job.createdById,
      createdDate: isoOffset(job.createdDate),
      systemModstamp: isoOffset(job.systemModstamp),
      state: job.state,
    };
    if (job.kind === "ingest" && job.externalIdFieldName) out.externalIdFieldName = job.externalIdFieldName;
    if (job.kind === "ingest" && job.assignmentRuleId) out.assignmentRuleId = job.assignmentRuleId;
    out.concurrencyMode = "Parallel";
    out.contentType = "CSV";
    out.apiVersion = new JsonDouble(Number(job.apiVersion));
    if (job.kind === "ingest" && job.state === "Open")
      out.contentUrl = `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
    if (full) out.jobType = job.kind === "ingest" ? "V2Ingest" : "V2Query";
    out.lineEnding = job.lineEnding;
    out.columnDelimiter = job.columnDelimiter;
    if (full) {
      out.numberRecordsProcessed = job.numberRecordsProcessed;
      if (job.kind === "ingest") out.numberRecordsFailed = job.numberRecordsFailed;
      out.retries = 0;
      const time = job.started ? (job.finished || Date.now()) - job.started : 0;
      out.totalProcessingTime = time;
      if (job.kind === "ingest") {
        out.apiActiveProcessingTime = time;
        out.apexProcessingTime = 0;
      }
      if (job.errorMessage) out.errorMessage = job.errorMessage;
    }
    return out;
  }

  patch(ctx: RequestContext, job: Job): void {
    const body = this.jsonBody(ctx);
    const state = String(body.state ?? "");
    if (state === "UploadComplete" && job.kind === "ingest") {
      if (job.state !== "Open") {
        throw restError(
          400,
          "INVALIDJOBSTATE",
          `Job ${job.id} is ${job.state}; only an Open job can be set to UploadComplete.`,
        );
      }
      job.state = "UploadComplete";
      job.systemModstamp = Date.now();
      void this.runIngest(job);
      ctx.sendJson(200, this.info(job, false));
      return;
    }
    if (state === "Aborted") {
      if (job.state === "JobComplete" || job.state === "Failed" || job.state === "Aborted") {
        throw restError(
          400,
          "INVALIDJOBSTATE",
          `Aborting already ${job.state === "JobComplete" ? "Completed" : job.state} Job not allowed`,
        );
      }
      job.state = "Aborted";
      job.systemModstamp = Date.now();
      job.finished ||= Date.now();
      ctx.sendJson(200, this.info(job, false));
      return;
    }
    throw restError(
      400,
      "INVALIDJOBSTATE",
      `Invalid state change to ${state || "(none)"}: use UploadComplete or Aborted.`,
    );
  }

  remove(ctx: RequestContext, job: Job): void {
    if (
      job.state === "Open" ||
      job.state === "InProgress" ||
      (job.kind === "query" && job.state === "UploadComplete")
    ) {
      throw restError(
        400,
        "INVALIDJOBSTATE",
        `Job ${job.id} is ${job.state}; abort it or wait for it to finish before deleting it.`,
      );
    }
    this.jobs.delete(job.id);
    ctx.send(204);
  }

  async upload(ctx: RequestContext, job: IngestJob): Promise<void> {
    if (job.chunks) {
      throw restError(
        400,
        "BULK_API_ERROR",
        `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
      );
    }
    if (job.state !== "Open")
      throw restError(
        400,
        "INVALIDJOBSTATE",
        `Job ${job.id} is ${job.state}; data can only be uploaded to an Open job.`,
      );
    const type = ctx.header("content-type") ?? "";
    if (!/^text\/csv/i.test(type)) {
      throw restError(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        `Content-Type header specified in HTTP request is not supported: ${type || "(none)"}`,
      );
    }
    const chunks: Buffer[] = [];
    const scanner = new LineEndingScanner();
    for await (const chunk of bodyChunks(ctx)) {
      const buffer = chunk as Buffer;
      scanner.push(buffer);
      if (scanner.bytes > this.pace.options.maxUploadBytes) {
        ctx.req.resume();
        throw restError(
          400,
          "BULK_API_ERROR",
          `The upload exceeds ${this.pace.options.maxUploadBytes} bytes; split the data into several jobs.`,
        );
      }
      chunks.push(buffer);
    }
    scanner.finish();
    job.chunks = chunks;
    job.scanner = scanner;
    job.systemModstamp = Date.now();
    ctx.send(201);
  }

  private async runIngest(job: IngestJob): Promise<void> {
    await this.pace.start();
    if (job.state !== "UploadComplete" || this.pace.closed) return;
    job.state = "InProgress";
    job.started = Date.now();
    job.systemModstamp = job.started;
    const fail = (message: string) => {
      job.state = "Failed";
      job.errorMessage = message;
      job.finished = Date.now();
      job.systemModstamp = job.finished;
    };
    if (!job.chunks || job.scanner.records === 0)
      return fail("InvalidBatch : No data was uploaded for this job");
    if (!job.scanner.matches(job.lineEnding)) {
      return fail(
        `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${job.lineEnding}`,
      );
    }
    const total = Math.max(0, job.scanner.records - 1);
    job.status = new Uint8Array(total);
    job.created = new Uint8Array(total);
    job.ids = new Array(total).fill(null);
    const ctx = {
      store: this.env.store,
      schema: this.env.schema,
      def: job.def,
      operation: job.operation as BulkOperation,
      externalIdField: job.externalIdFieldName,
      userId: job.createdById,
    };
    let columns: ReturnType<typeof resolveColumns> | undefined;
    let index = -1;
    try {
      rows: for await (const batch of csvRowBatches(job.chunks, DELIMITERS[job.columnDelimiter]!))
        for (const cells of batch) {
          if (!columns) {
            job.header = cells;
            columns = resolveColumns(this.env.schema, job.def, cells);
            continue;
          }
          index++;
          if (index >= job.status.length) break rows;
          const outcome = applyRow(ctx, { columns, cells });
          job.status[index] = outcome.success ? 1 : 2;
          job.created[index] = outcome.created ? 1 : 0;
          job.ids[index] = outcome.id;
          if (!outcome.success) {
            job.errors.set(index, outcome.error);
            job.numberRecordsFailed++;
          }
          job.numberRecordsProcessed++;
          if (index % this.pace.options.rowsPerTick === this.pace.options.rowsPerTick - 1) {
            await this.pace.slice();
            if (job.state !== "InProgress" || this.pace.closed) return;
          }
        }
    } catch (error) {
      if (error instanceof ColumnError) return fail(error.message);
      return fail(`ClientInputError : ${(error as Error).message}`);
    }
    job.state = "JobComplete";
    job.finished = Date.now();
    job.systemModstamp = job.finished;
  }

  async results(ctx: RequestContext, job: IngestJob, which: string): Promise<void> {
    const delimiter = DELIMITERS[job.columnDelimiter]!;
    const eol = LINE_ENDINGS[job.lineEnding]!;
    async function* lines(): AsyncGenerator<string> {
      if (!job.chunks) {
        yield which === "successfulResults"
          ? quoteAll(["sf__Id", "sf__Created"], delimiter) + eol
          : which === "failedResults"
            ? quoteAll(["sf__Id", "sf__Error"], delimiter) + eol
            : "";
        return;
      }
      let header: string[] | undefined;
      let index = -1;
      // Rows still to send: the upload is re-read only as far as the last row wanted (no
      // failures among a million rows answers with the header alone, not a full re-parse).
      const wanted = which === "successfulResults" ? 1 : which === "failedResults" ? 2 : 0;
      let remaining = 0;
      for (let i = 0; i < job.status.length; i++) if (job.status[i] === wanted) remaining++;
      if (wanted === 0 && job.status.length === 0) remaining = Number.POSITIVE_INFINITY; // not started: all unprocessed
      for await (const batch of csvRowBatches(job.chunks, delimiter)) {
        let out = "";
        for (const cells of batch) {
          if (!header) {
            header = cells;
            const lead =
              which === "successfulResults"
                ? ["sf__Id", "sf__Created"]
                : which === "failedResults"
                  ? ["sf__Id", "sf__Error"]
                  : [];
            out += quoteAll([...lead, ...header], delimiter) + eol;
            if (remaining === 0) break;
            continue;
          }
          if (remaining === 0) break;
          index++;
          const padded =
            cells.length >= header.length
              ? cells.slice(0, header.length)
              : [...cells, ...Array(header.length - cells.length).fill("")];
          const status = job.status[index] ?? 0;
          if (status === wanted) remaining--;
          if (which === "successfulResults" && status === 1) {
            out +=
              quoteAll([job.ids[index], job.created[index] ? "true" : "false", ...padded], delimiter) + eol;
          } else if (which === "failedResults" && status === 2) {
            out += quoteAll([job.ids[index] ?? "", job.errors.get(index) ?? "", ...padded], delimiter) + eol;
          } else if (which === "unprocessedrecords" && status === 0) {
            out += quoteAll(padded, delimiter) + eol;
          }
        }
        if (out) yield out;
        if (remaining === 0) break;
      }
    }
    await streamResponse(ctx, 200, { "Content-Type": "text/csv" }, lines());
  }

  private async runQuery(job: QueryJob): Promise<void> {
    await this.pace.start();
    if (job.state !== "UploadComplete" || this.pace.closed) return;
    job.state = "InProgress";
    job.started = Date.now();
    job.systemModstamp = job.started;
    await this.pace.slice();
    if (job.state !== "InProgress") return;
    job.numberRecordsProcessed = job.result.rows.length;
    job.state = "JobComplete";
    job.finished = Date.now();
    job.systemModstamp = job.finished;
  }

  async queryResults(ctx: RequestContext, job: QueryJob): Promise<void> {
    const query = ctx.query;
    if (job.state !== "JobComplete") {
      const status = job.state.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
      throw restError(
        412,
        "JOB_NOT_COMPLETE",
        `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${status}`,
      );
    }
    const locator = query.get("locator");
    let offset = 0;
    if (locator && locator !== "null") {
      offset = Number(Buffer.from(locator, "base64").toString("utf8"));
      if (!Number.isInteger(offset) || offset < 0)
        throw restError(400, "INVALID_LOCATOR", `Invalid locator: ${locator}`);
    }
    const maxText = query.get("maxRecords");
    const max = maxText === null ? this.pace.options.queryPageRows : Number(maxText);
    if (!Number.isInteger(max) || max <= 0)
      throw restError(400, "INVALIDPARAMETER", `maxRecords must be a positive integer, not ${maxText}`);
    const rows = job.result.rows;
    const end = Math.min(rows.length, offset + max);
    const next = end < rows.length ? Buffer.from(String(end)).toString("base64").replace(/=+$/, "") : "null";
    const delimiter = DELIMITERS[job.columnDelimiter]!;
    const eol = LINE_ENDINGS[job.lineEnding]!;
    const result = job.result;
    function* lines(): Generator<string> {
      yield quoteAll(result.columns, delimiter) + eol;
      for (let i = offset; i < end; i++) yield quoteAll(result.flatten(rows[i]), delimiter) + eol;
    }
    await streamResponse(
      ctx,
      200,
      { "Content-Type": "text/csv", "Sforce-Locator": next, "Sforce-NumberOfRecords": String(end - offset) },
      lines(),
    );
  }
}

function notFound(): HttpError {
  return new HttpError(404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]);
}
