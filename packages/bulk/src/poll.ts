import {
  ConfigurationError,
  SalesforceAbortError,
  SalesforceConnectionError,
  SalesforceError,
  SalesforceTimeoutError,
} from "@sfkit/core";
import type { PollOptions } from "./types.js";

export interface ResolvedPoll {
  pollInterval: number;
  maxPollInterval: number;
  pollTimeout: number;
  onProgress: NonNullable<PollOptions["onProgress"]>;
  signal: AbortSignal | undefined;
}

const DEFAULTS = { pollInterval: 1000, maxPollInterval: 10_000, pollTimeout: 3_600_000 };

function positive(name: string, value: number): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) {
    throw new ConfigurationError(`${name} must be a number of milliseconds ≥ 0, not ${value}`);
  }
  return value;
}

export function resolvePoll(defaults: PollOptions, call: PollOptions): ResolvedPoll {
  const pick = <K extends keyof typeof DEFAULTS>(key: K) =>
    positive(key, call[key] ?? defaults[key] ?? DEFAULTS[key]);
  const pollInterval = pick("pollInterval");
  return {
    pollInterval,
    maxPollInterval: Math.max(pollInterval, pick("maxPollInterval")),
    pollTimeout: pick("pollTimeout"),
    onProgress: (event) => {
      const handler = call.onProgress ?? defaults.onProgress;
      if (!handler) return;
      try {
        handler(event);
      } catch {
        // a progress handler must not break the job
      }
    },
    signal: call.signal ?? defaults.signal,
  };
}

/** Network trouble and 5xx while polling are retried within the time budget (F15). */
export function isTransient(error: unknown): boolean {
  if (error instanceof SalesforceConnectionError || error instanceof SalesforceTimeoutError) return true;
  return error instanceof SalesforceError && error.status >= 500;
}

export function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): SalesforceAbortError {
  return new SalesforceAbortError(
    "Waiting for the bulk job was aborted by the caller; the job was left as it is.",
    {
      cause: signal.reason,
    },
  );
}

/**
 * Calls `check` until `done` says so, waiting `pollInterval` first and growing the wait by
 * half each time up to `maxPollInterval`. Past `pollTimeout` it calls `timedOut` with the
 * last value seen and throws what it returns. Transient errors are retried.
 */
export async function pollUntil<T>(
  poll: ResolvedPoll,
  check: () => Promise<T>,
  done: (value: T) => boolean,
  timedOut: (last: T | undefined) => Error,
): Promise<T> {
  const deadline = Date.now() + poll.pollTimeout;
  let delay = poll.pollInterval;
  let last: T | undefined;
  for (let first = true; ; first = false) {
    if (!first) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw timedOut(last);
      await wait(Math.min(delay, remaining), poll.signal);
      delay = Math.min(poll.maxPollInterval, Math.ceil(delay * 1.5));
    }
    try {
      last = await check();
    } catch (error) {
      if (isTransient(error) && Date.now() < deadline) continue;
      throw error;
    }
    if (done(last)) return last;
    if (Date.now() >= deadline) throw timedOut(last);
  }
}
