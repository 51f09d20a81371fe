import type { Readable } from "node:stream";
import { releaseAttemptController, takeAttemptController } from "./attempt-controllers.js";
import { drain } from "./body.js";
import { followAbort } from "./caller-abort.js";
import { ConfigurationError } from "./errors/configuration-error.js";
import {
  SalesforceAbortError,
  SalesforceConnectionError,
  SalesforceTimeoutError,
} from "./errors/network-errors.js";
import { SalesforceError, SalesforceGeneralError } from "./errors/salesforce-error.js";
import { parseResponse } from "./parse-response.js";
import { redactUrl } from "./redact.js";
import { backoffMs, type ResolvedRetry, retryAfterMs, sleep } from "./retry.js";
import type { Logger, PreparedRequest, SalesforceResponse, Transport, TransportResponse } from "./types.js";

interface SendSettings {
  retry: ResolvedRetry;
  totalTimeout: number;
  log: Logger;
  noteResponse(headers: Record<string, string>): void;
}

/** Error codes that prove the request never left this machine, so even a POST may be re-sent. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** OpenSSL's certificate verification codes (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ...). */
const TLS_CODE =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+|CERT_\w+|HOSTNAME_MISMATCH)$/;

function errorCodeOf(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown; errno?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current.code === "string" && current.code.startsWith("E")) return current.code;
    if (typeof current.code === "string" && current.code.startsWith("UND_")) return current.code;
    if (typeof current.code === "string" && TLS_CODE.test(current.code)) return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

/** What to check next, for the network errors whose cause is usually the configuration. */
function hintFor(code: string | undefined, url: string): string {
  if (code === undefined) return "";
  if (TLS_CODE.test(code)) {
    return "; the server's TLS certificate is not trusted: pass its CA certificate (PEM) as the client's `ca` option";
  }
  const origin = new URL(url).origin;
  if (code === "ECONNREFUSED")
    return `; nothing is listening at ${origin}: check the instance or login URL, and that the server is running`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return `; the host of ${origin} could not be resolved: check the instance or login URL`;
  if ((code === "ECONNRESET" || code === "UND_ERR_SOCKET") && url.startsWith("http:")) {
    return "; if the server speaks HTTPS, use an https:// URL";
  }
  return "";
}

/** A body that can be sent again (a retry, a redirect, a replay after refresh): not a spent stream. */
export const replayable = (body: PreparedRequest["body"]) =>
  body === undefined || typeof body === "string" || body instanceof Uint8Array;

/**
 * Sends one logical request: attempts with a per-attempt time-out inside a total
 * time-out, retries where they are safe (idempotent methods on 502/503/504 and network
 * errors; any method when the connection was refused), Retry-After honoured, redirects
 * followed only when the method and body survive them.
 */
export async function sendWithRetry(
  transport: Transport,
  prepared: PreparedRequest,
  headers: Record<string, string>,
  settings: SendSettings,
): Promise<SalesforceResponse> {
  const { retry, log } = settings;
  const started = Date.now();
  const deadline = started + settings.totalTimeout;
  let url = prepared.url;
  const method = prepared.method;
  let redirects = 0;
  for (let attempt = 1; ; attempt++) {
    const shown = redactUrl(url);
    const abortedByCaller = () =>
      new SalesforceAbortError(`${method} ${shown} was aborted by the caller`, {
        method,
        url: shown,
        cause: prepared.signal?.reason,
      });
    // A caller's abort during the wait before a retry is the caller's abort, not a raw reason.
    const pause = (ms: number) =>
      sleep(ms, prepared.signal).catch(() => {
        throw abortedByCaller();
      });
    const canRepeat = prepared.idempotent && replayable(prepared.body);
    const controller = takeAttemptController();
    const attemptTimeout = Math.min(prepared.timeout, Math.max(1, deadline - Date.now()));
    const totalHit = attemptTimeout < prepared.timeout;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, attemptTimeout);
    const unfollow = prepared.signal ? followAbort(prepared.signal, () => controller.abort()) : undefined;
    let cleanedUp = false;
    const cleanup = () => {
      if (cleanedUp) return; // some paths clean up before `finally` does it again
      cleanedUp = true;
      clearTimeout(timer);
      unfollow?.();
      releaseAttemptController(controller);
    };
    let response: TransportResponse;
    const attemptStart = Date.now();
    try {
      if (prepared.signal?.aborted) throw prepared.signal.reason;
      response = await transport.send({
        method,
        url,
        headers,
        body: prepared.body,
        signal: controller.signal,
      });
    } catch (cause) {
      cleanup();
      if (prepared.signal?.aborted) throw abortedByCaller();
      // A transport that refuses the request itself (closed, misconfigured) sent nothing and would refuse again.
      if (cause instanceof ConfigurationError) throw cause;
      if (timedOut) {
        const error = new SalesforceTimeoutError(
          `${method} ${shown} timed out after ${attemptTimeout} ms (${totalHit ? "total" : "per-attempt"} time-out)`,
          { method, url: shown, timeout: attemptTimeout, phase: totalHit ? "total" : "attempt" },
        );
        if (!totalHit && canRepeat && attempt <= retry.limit && Date.now() < deadline) {
          log.warn(`${method} ${shown} timed out; retrying (${attempt}/${retry.limit})`);
          continue;
        }
        throw error;
      }
      const code = errorCodeOf(cause);
      const notSent = code !== undefined && NOT_SENT.has(code);
      const untrusted = code !== undefined && TLS_CODE.test(code);
      const error = new SalesforceConnectionError(
        `${method} ${shown} failed: ${code ?? "network error"}${notSent ? " (nothing was sent)" : ""}${hintFor(code, url)}`,
        { method, url: shown, cause, notSent, ...(code ? { code } : {}) },
      );
      // An untrusted certificate stays untrusted: retrying it only delays the error.
      const mayRetry = !untrusted && ((notSent && replayable(prepared.body)) || canRepeat);
      if (mayRetry && attempt <= retry.limit) {
        const wait = backoffMs(retry, attempt);
        if (Date.now() + wait < deadline) {
          log.warn(`${method} ${shown} failed (${code}); retrying in ${wait} ms (${attempt}/${retry.limit})`);
          await pause(wait);
          continue;
        }
      }
      throw error;
    }
    settings.noteResponse(response.headers);
    if (REDIRECTS.has(response.status) && response.headers.location) {
      const keepsMethod =
        method === "GET" ||
        method === "HEAD" ||
        ((response.status === 307 || response.status === 308) && replayable(prepared.body));
      await drain(response.body);
      cleanup();
      const target = new URL(response.headers.location, url).toString();
      if (!keepsMethod || redirects >= MAX_REDIRECTS) {
        throw new SalesforceGeneralError(
          `${method} ${shown} was redirected (${response.status}) to ${redactUrl(target)}; sfkit does not re-send a ${method} as a GET. Use the URL it redirects to (for a login, your org's My Domain or login.salesforce.com).`,
          { status: response.status, method, url: shown, code: "ERR_REDIRECT" },
        );
      }
      redirects++;
      url = target;
      attempt--;
      continue;
    }
    if (retry.statusCodes.includes(response.status) && canRepeat && attempt <= retry.limit) {
      const after = retryAfterMs(response.headers["retry-after"]);
      const wait = after ?? backoffMs(retry, attempt);
      if (wait <= retry.maxRetryAfter && Date.now() + wait < deadline) {
        await drain(response.body);
        cleanup();
        log.warn(
          `${method} ${shown} → ${response.status}; retrying in ${wait} ms (${attempt}/${retry.limit})`,
        );
        await pause(wait);
        continue;
      }
    }
    const status = response.status;
    /** A body that broke while it was read: the caller's abort, or the connection's failure. */
    const brokenBody = (cause: unknown): SalesforceError => {
      if (cause instanceof SalesforceError) return cause;
      if (prepared.signal?.aborted) return abortedByCaller();
      const code = errorCodeOf(cause);
      return new SalesforceConnectionError(
        `${method} ${shown}: the connection broke while reading the response (${code ?? "network error"})`,
        { method, url: shown, status, cause, ...(code ? { code } : {}) },
      );
    };
    let streamed: SalesforceResponse["data"] | undefined;
    try {
      const result = await parseResponse(
        { method, url: shown, responseType: prepared.responseType },
        response,
        brokenBody,
      );
      if (prepared.responseType === "stream") streamed = result.data;
      log.debug(`${method} ${shown} → ${response.status} in ${Date.now() - attemptStart} ms`);
      return result;
    } catch (error) {
      if (error instanceof SalesforceError) {
        log.debug(
          `${method} ${shown} → ${response.status} ${error.errorCode ?? ""} in ${Date.now() - attemptStart} ms`,
        );
        throw error;
      }
      if (prepared.signal?.aborted) throw abortedByCaller();
      if (timedOut) {
        throw new SalesforceTimeoutError(
          `${method} ${shown} timed out after ${attemptTimeout} ms while reading the body`,
          {
            method,
            url: shown,
            timeout: attemptTimeout,
            phase: totalHit ? "total" : "attempt",
          },
        );
      }
      const broken = brokenBody(error);
      const code = errorCodeOf(error);
      // The body was cut: an idempotent request is sent again, like any other network failure.
      if (canRepeat && attempt <= retry.limit) {
        const wait = backoffMs(retry, attempt);
        if (Date.now() + wait < deadline) {
          log.warn(
            `${method} ${shown}: the response was cut (${code}); retrying in ${wait} ms (${attempt}/${retry.limit})`,
          );
          cleanup();
          await pause(wait);
          continue;
        }
      }
      throw broken;
    } finally {
      if (streamed === undefined) cleanup();
      else {
        // The caller may abort a body that is still being read; once it is read (or
        // dropped), stop listening to the caller's signal, which often outlives many
        // requests. The controller is not reused: the transport may still hold it.
        clearTimeout(timer);
        if (unfollow) (streamed as Readable).once("close", unfollow);
      }
    }
  }
}
