import {
  type Client,
  ConfigurationError,
  type PreparedRequest,
  type SalesforceResponse,
  redactUrl,
} from "@sfkit/core";

/** What the slow-call hook reports about one call. */
export interface SlowCall {
  method: string;
  /** The URL of the last attempt, secrets removed. */
  url: string;
  /** The HTTP status, or undefined when the call failed without a response. */
  status: number | undefined;
  /** Milliseconds from the start of the call (retries and a session refresh included) to its end. */
  durationMs: number;
  /** Whether the call ended in an error. */
  failed: boolean;
}

export interface SlowCallOptions {
  /** Calls that take at least this many milliseconds are reported. @default 2000 */
  thresholdMs?: number;
  /** Where a slow call goes. @default a warning through the client's logger */
  onSlowCall?: (call: SlowCall) => void;
  /** The clock, in milliseconds (tests give a fake one). @default performance.now */
  now?: () => number;
}

/**
 * A plugin that adds no keys: it registers a `wrap` hook on "request" that times every call
 * and reports those slower than `thresholdMs`. Hooks are shared by all clients made from the
 * same `createClient()`, and `pluginName` makes a second `extend(slowCalls())` a no-op.
 */
export function slowCalls(options: SlowCallOptions = {}) {
  const thresholdMs = options.thresholdMs ?? 2000;
  if (!(Number.isFinite(thresholdMs) && thresholdMs >= 0)) {
    throw new ConfigurationError(
      `slowCalls(): thresholdMs must be a number of milliseconds ≥ 0, not ${thresholdMs}.`,
    );
  }
  const now = options.now ?? (() => performance.now());
  const plugin = (client: Client): {} => {
    const report =
      options.onSlowCall ??
      ((call: SlowCall) =>
        client.log.warn(
          `slow Salesforce call: ${call.method} ${call.url} took ${Math.round(call.durationMs)} ms (status ${call.status ?? "none"})`,
          { ...call },
        ));
    client.hook.wrap<PreparedRequest, SalesforceResponse>("request", async (send, request) => {
      const started = now();
      let status: number | undefined;
      let failed = false;
      try {
        const response = await send(request);
        status = response.status;
        return response;
      } catch (error) {
        failed = true;
        const candidate = (error as { status?: unknown })?.status;
        status = typeof candidate === "number" && candidate > 0 ? candidate : undefined;
        throw error;
      } finally {
        const durationMs = now() - started;
        if (durationMs >= thresholdMs) {
          try {
            report({ method: request.method, url: redactUrl(request.url), status, durationMs, failed });
          } catch {
            // A broken reporter must never break the call it reports on.
          }
        }
      }
    });
    return {};
  };
  return Object.assign(plugin, { pluginName: "slowCalls" as const });
}
