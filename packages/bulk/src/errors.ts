import { SalesforceError, type SalesforceErrorDetails } from "@sfkit/core";
import type { Bulk2JobInfo } from "./types.js";

/**
 * A bulk job (or a Bulk 1.0 batch) ended as a whole in `Failed` or `Aborted`. Row failures
 * are never thrown: they come back as results. `job` holds the job info Salesforce returned
 * (`errorMessage` says why); `jobs` the info of every job of the call.
 */
export class BulkJobError extends SalesforceError {
  override name = "BulkJobError";
  readonly jobId: string;
  readonly state: string;
  readonly job: Record<string, unknown>;
  readonly jobs: ReadonlyArray<Record<string, unknown>>;
  readonly batchId: string | undefined;
  constructor(
    message: string,
    fields: {
      jobId: string;
      state: string;
      job: Record<string, unknown>;
      jobs?: ReadonlyArray<Record<string, unknown>>;
      batchId?: string;
      errorCode?: string;
    } & SalesforceErrorDetails,
  ) {
    super(message, { code: "ERR_BULK_JOB_FAILED", ...fields });
    this.jobId = fields.jobId;
    this.state = fields.state;
    this.job = fields.job;
    this.jobs = fields.jobs ?? [fields.job];
    this.batchId = fields.batchId;
  }
}

/**
 * The client stopped waiting (`pollTimeout`) while Salesforce was still working. The jobs
 * are left exactly as they were: nothing is closed, aborted or deleted. Resume with
 * `sf.bulk2.resume(jobId)` (Bulk 2.0) or `sf.bulk.resume(jobId)` (Bulk 1.0).
 */
export class BulkPollingTimeoutError extends SalesforceError {
  override name = "BulkPollingTimeoutError";
  /** The first job id (most calls have one job). */
  readonly jobId: string;
  /** Every job id of the call, in upload order. */
  readonly jobIds: readonly string[];
  /** Bulk 1.0: the batch ids that had not finished. */
  readonly batchIds: readonly string[];
  /** The last job info seen for each job. */
  readonly jobs: ReadonlyArray<Record<string, unknown> | Bulk2JobInfo>;
  readonly timeout: number;
  constructor(
    message: string,
    fields: {
      jobIds: string[];
      batchIds?: string[];
      jobs: ReadonlyArray<Record<string, unknown> | Bulk2JobInfo>;
      timeout: number;
    },
  ) {
    super(message, { code: "ERR_BULK_POLL_TIMEOUT" });
    this.jobIds = fields.jobIds;
    this.jobId = fields.jobIds[0] ?? "";
    this.batchIds = fields.batchIds ?? [];
    this.jobs = fields.jobs;
    this.timeout = fields.timeout;
  }
}
