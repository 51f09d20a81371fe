import { SalesforceError, type SalesforceErrorDetails } from "./salesforce-error.js";

/** No response arrived: connection refused or reset, DNS failure, TLS failure. */
export class SalesforceConnectionError extends SalesforceError {
  override name = "SalesforceConnectionError";
  /** True when the request cannot have reached Salesforce (connection refused, DNS). */
  readonly notSent: boolean;
  constructor(message: string, details: SalesforceErrorDetails & { notSent?: boolean } = {}) {
    super(message, { code: "ERR_NETWORK", ...details });
    this.notSent = details.notSent ?? false;
  }
}

/** A per-attempt or total time-out elapsed. */
export class SalesforceTimeoutError extends SalesforceError {
  override name = "SalesforceTimeoutError";
  readonly timeout: number;
  readonly phase: "attempt" | "total";
  constructor(
    message: string,
    details: SalesforceErrorDetails & { timeout: number; phase: "attempt" | "total" },
  ) {
    super(message, { code: "ERR_TIMEOUT", ...details });
    this.timeout = details.timeout;
    this.phase = details.phase;
  }
}

/** The caller's AbortSignal fired. */
export class SalesforceAbortError extends SalesforceError {
  override name = "SalesforceAbortError";
  constructor(message: string, details: SalesforceErrorDetails = {}) {
    super(message, { code: "ERR_ABORTED", ...details });
  }
}

/**
 * For plugins' iterators: rows already in memory have no request left for the caller's abort
 * to cancel, so an iterator checks between rows and stops there, as a request would.
 * `what` names the work ("queryIter()", "Reading the results of Bulk 2.0 query job 750...").
 */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new SalesforceAbortError(`${what} was aborted by the caller`, { cause: signal.reason });
  }
}
