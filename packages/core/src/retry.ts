import { ConfigurationError } from "./errors/configuration-error.js";

export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  limit?: number;
  /** Statuses that are retried (idempotent requests only). @default [502, 503, 504] */
  statusCodes?: number[];
  /** First backoff delay in ms, doubled each time, with jitter. @default 300 */
  backoff?: number;
  /** Largest backoff in ms. @default 5000 */
  maxBackoff?: number;
  /** A Retry-After longer than this (ms) is not waited for: the error is returned. @default 60000 */
  maxRetryAfter?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(option: RetryOptions | false | undefined): ResolvedRetry {
  const resolved: ResolvedRetry = {
    limit: 2,
    statusCodes: [502, 503, 504],
    backoff: 300,
    maxBackoff: 5000,
    maxRetryAfter: 60_000,
    ...(option === false ? { limit: 0 } : (option ?? {})),
  };
  if (!Number.isInteger(resolved.limit) || resolved.limit < 0 || resolved.limit > 10) {
    throw new ConfigurationError(`retry.limit must be a whole number from 0 to 10, not ${resolved.limit}`);
  }
  return resolved;
}

/** Methods that may be repeated without changing the result. */
export const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** Retry-After as ms: seconds or an HTTP date. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(retry: ResolvedRetry, attempt: number): number {
  const base = Math.min(retry.maxBackoff, retry.backoff * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
