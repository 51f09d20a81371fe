import {
  ConfigurationError,
  SalesforceConnectionError,
  SalesforceError,
  type SalesforceErrorDetails,
  SalesforceMalformedResponse,
} from "@sfkit/core";
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

const NETWORK_FAILURE =
  /ECONNRESET|EPIPE|PREMATURE|\bterminated\b|\baborted\b|socket hang up|other side closed/i;

/**
 * Any error of a bulk call made after its job(s) existed carries their ids (`jobId`, `jobs`),
 * so that the caller can resume instead of loading the data twice. An error that is not
 * sfkit's own (a CSV or JSON parser failing on a broken body, a stream cut mid-read) becomes
 * a typed one first.
 */
export function withJobIds(
  error: unknown,
  jobs: ReadonlyArray<Record<string, unknown> & { id?: unknown }>,
  api: "bulk" | "bulk2",
): unknown {
  let out = error;
  const ids = jobs.map((job) => String(job.id ?? "")).filter(Boolean);
  if (
    error instanceof Error &&
    !SalesforceError.isInstance(error) &&
    !(error instanceof ConfigurationError)
  ) {
    const text = `${(error as { code?: unknown }).code ?? ""} ${error.message}`;
    const where = `reading the answer of bulk job ${ids.join(", ") || "(none yet)"}`;
    const resume = ids.length
      ? ` The job ids are on this error (jobId, jobs): read its results with sf.${api}.resume(jobId) instead of sending the data again.`
      : "";
    out = NETWORK_FAILURE.test(text)
      ? new SalesforceConnectionError(`The connection broke while ${where} (${error.message}).${resume}`, {
          cause: error,
        })
      : new SalesforceMalformedResponse(
          `Salesforce's answer could not be read while ${where}: ${error.message}.${resume}`,
          {
            cause: error,
            code: "ERR_MALFORMED_RESPONSE",
          },
        );
  }
  if (out && typeof out === "object" && ids.length > 0) {
    if (!("jobs" in out))
      Object.defineProperty(out, "jobs", { value: jobs, enumerable: false, configurable: true });
    if (!("jobId" in out))
      Object.defineProperty(out, "jobId", { value: ids[0], enumerable: false, configurable: true });
  }
  return out;
}

/** A result body cut mid-way (the request itself is a GET and may be read again). */
export function isBrokenStream(error: unknown): boolean {
  if (error instanceof SalesforceConnectionError) return true;
  if (!(error instanceof Error) || SalesforceError.isInstance(error)) return false;
  return NETWORK_FAILURE.test(`${(error as { code?: unknown }).code ?? ""} ${error.message}`);
}

/** Reads a result resource again (up to twice more) when its body was cut. */
export async function rereadOnBreak<T>(read: () => Promise<T>, log: (message: string) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 3 || !isBrokenStream(error)) throw error;
      log(`bulk: a result body was cut (${(error as Error).message}); reading it again (${attempt}/2)`);
    }
  }
}
