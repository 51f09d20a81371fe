import type { Readable } from "node:stream";

export type { StandardSObjectName } from "@sfkit/core";

/** Bulk 2.0 column delimiters, by the names Salesforce uses. */
export type ColumnDelimiter = "COMMA" | "BACKQUOTE" | "CARET" | "PIPE" | "SEMICOLON" | "TAB";
export type LineEnding = "LF" | "CRLF";

/** What the CLI's progress bars and any caller's logging get. */
export type BulkProgress =
  | { type: "jobCreated"; api: "bulk" | "bulk2"; jobId: string; object: string; operation: string }
  | { type: "uploaded"; api: "bulk" | "bulk2"; jobId: string; batchId?: string; rows: number; bytes: number }
  | {
      type: "state";
      api: "bulk" | "bulk2";
      jobId: string;
      state: string;
      /** Rows processed so far (Salesforce's numberRecordsProcessed). */
      processed: number;
      failed: number;
    }
  | {
      type: "rows";
      api: "bulk" | "bulk2";
      jobId: string;
      kind: "successful" | "failed" | "unprocessed" | "query";
      rows: number;
    };

/** Polling settings shared by every call (plugin defaults, overridable per call). */
export interface PollOptions {
  /** First wait between two status checks, in ms; grows by half each time. @default 1000 */
  pollInterval?: number;
  /** Longest wait between two checks, in ms. @default 10000 */
  maxPollInterval?: number;
  /**
   * How long to wait for Salesforce to finish, in ms, before rejecting with
   * BulkPollingTimeoutError (which carries the job ids; the jobs keep running).
   * @default 3600000 (one hour)
   */
  pollTimeout?: number;
  /** Progress events (rows uploaded, job state, rows processed). */
  onProgress?: (event: BulkProgress) => void;
  /** Stops waiting (and any request in flight); the jobs are left as they are. */
  signal?: AbortSignal;
}

/** Bulk 2.0 job info as Salesforce returns it. */
export interface Bulk2JobInfo {
  id: string;
  operation: string;
  object?: string;
  state: string;
  createdById?: string;
  createdDate?: string;
  systemModstamp?: string;
  concurrencyMode?: string;
  contentType?: string;
  apiVersion?: number;
  jobType?: string;
  lineEnding?: LineEnding;
  columnDelimiter?: ColumnDelimiter;
  externalIdFieldName?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  retries?: number;
  totalProcessingTime?: number;
  errorMessage?: string;
  query?: string;
  [key: string]: unknown;
}

/** Where Bulk 2.0 ingest data comes from: exactly one of these. */
export type Bulk2Source =
  | { records: ReadonlyArray<Record<string, unknown>> | Iterable<Record<string, unknown>> }
  | { csv: string }
  | { file: string }
  | { stream: Readable | AsyncIterable<Uint8Array | string> };

/** Which result rows an ingest call reads back. */
export type ResultsMode = "all" | "failed" | "none";

export interface Bulk2IngestOptions extends PollOptions {
  /** Required for upsert: the external id field (or "Id"). */
  externalIdField?: string;
  /** The delimiter of the data (and of the results, which use the job's). @default "COMMA" */
  columnDelimiter?: ColumnDelimiter;
  /**
   * The line ending the data uses. For `{ records }` sfkit writes this ending; for CSV
   * input sfkit reads it from the header line, and a different value here is an error.
   */
  lineEnding?: LineEnding;
  /** Case/Lead assignment rule id. */
  assignmentRuleId?: string;
  /**
   * Largest upload per job in bytes; larger inputs are split into several jobs at record
   * boundaries (never inside a quoted field). @default 100000000 (Salesforce allows 150 MB base64 ≈ 100 MB raw)
   */
  maxBytesPerJob?: number;
  /** Largest number of data rows per job. @default unlimited */
  maxRowsPerJob?: number;
  /**
   * "all" (default) reads successful, failed and unprocessed rows; "failed" reads only the
   * failed and unprocessed ones (use it for millions of rows); "none" reads none (counts are
   * in `jobs`).
   */
  results?: ResultsMode;
}

export type Bulk2IngestRequest = Bulk2Source & Bulk2IngestOptions;

/** A successful row: `sf__Id`, `sf__Created` ("true"/"false") and the uploaded columns. */
export type SuccessfulRow = { sf__Id: string; sf__Created: string } & Record<string, string>;
/** A failed row: `sf__Id` (often empty), `sf__Error` ("CODE:message:fields --") and the uploaded columns. */
export type FailedRow = { sf__Id: string; sf__Error: string } & Record<string, string>;
export type UnprocessedRow = Record<string, string>;

export interface Bulk2JobSummary extends Bulk2JobInfo {
  /** Data rows sfkit uploaded to this job. */
  rowsUploaded: number;
}

export interface Bulk2IngestResult {
  /** One entry per job (inputs over the upload limit are split), in upload order. */
  jobs: Bulk2JobSummary[];
  successful: SuccessfulRow[];
  failed: FailedRow[];
  unprocessed: UnprocessedRow[];
}

export interface Bulk2QueryOptions extends PollOptions {
  /** Rows per results page (Salesforce's `maxRecords`). */
  maxRecords?: number;
  columnDelimiter?: ColumnDelimiter;
  lineEnding?: LineEnding;
}

/** Bulk 1.0 row error, as Salesforce's SaveResult gives it. */
export interface BulkRowError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One Bulk 1.0 DML result per input record, in input order. */
export interface BulkResult {
  id: string | null;
  success: boolean;
  created: boolean;
  errors: BulkRowError[];
}

export interface Bulk1Options extends PollOptions {
  /** Records per batch (≤ 10,000), or "auto": as many as fit in 10,000 records and 10 MB. @default "auto" */
  batchSize?: number | "auto";
  /** Process batches one at a time (concurrencyMode "Serial") to avoid lock contention. @default false */
  useSerial?: boolean;
  /** Batch format. @default "JSON" */
  contentType?: "JSON" | "CSV";
  /** Case/Lead assignment rule id. */
  assignmentRuleId?: string;
}

export interface Bulk1QueryOptions extends PollOptions {
  /** @default "JSON" */
  contentType?: "JSON" | "CSV";
  /**
   * PK chunking (`Sforce-Enable-PKChunking`): true, a chunk size, or
   * `{ chunkSize, startRow, parent }`.
   */
  pkChunking?: boolean | number | { chunkSize?: number; startRow?: string; parent?: string };
}
