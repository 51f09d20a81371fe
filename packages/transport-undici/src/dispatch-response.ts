import type { TransportResponse } from "@sfkit/core";
import type { Dispatcher } from "undici";
import { ResponseBody } from "./response-body.js";

/** How undici lets a handler abort its request (given to `onConnect`). */
type Abort = (error: Error) => void;

/**
 * Response header names as core wants them: lower case, one string per name (a repeated
 * header, Set-Cookie, joined). Names are remembered: the same few come with every response.
 */
const lowerNames = new Map<string, string>();

function headersOf(raw: Buffer[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const given = (raw[i] as Buffer).toString("latin1");
    let name = lowerNames.get(given);
    if (name === undefined) {
      name = given.toLowerCase();
      if (lowerNames.size < 1_000) lowerNames.set(given, name);
    }
    const value = (raw[i + 1] as Buffer).toString("latin1");
    const seen = Object.hasOwn(headers, name) ? headers[name] : undefined;
    if (name === "__proto__") {
      Object.defineProperty(headers, name, { value, enumerable: true, configurable: true, writable: true });
    } else headers[name] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return headers;
}

/**
 * An undici handler in the classic form (`onConnect`, `onHeaders`, `onData`, `onComplete`,
 * `onError`), which every undici 7 dispatcher delivers. Receives one exchange: resolves with
 * status, headers and a `ResponseBody` once the headers are in, feeds the body, and calls
 * `onSettled` once undici is done with the connection (the whole response has arrived, read
 * or not, or the request failed). It listens to the caller's signal itself, and only until then.
 */
class ResponseHandler {
  private abortRequest: Abort | undefined;
  private abortedWith: Error | undefined;
  private body: ResponseBody | undefined;
  private done = false;

  constructor(
    private readonly resolve: (response: TransportResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly signal: AbortSignal | undefined,
    private readonly onSettled: (() => void) | undefined,
    private readonly afterEnd: (() => Promise<void>) | undefined,
  ) {
    signal?.addEventListener("abort", this.onAbort);
  }

  private readonly onAbort = () => {
    const reason = this.signal?.reason;
    const error =
      reason instanceof Error ? reason : Object.assign(new Error("Request aborted"), { name: "AbortError" });
    if (this.abortRequest) this.abortRequest(error);
    else {
      // Still in undici's queue (behind another request on an Agent's connection): the caller
      // hears now, and undici drops the request when it reaches it (onConnect), which is also
      // when this exchange is over for the connection.
      this.abortedWith = error;
      this.reject(error);
    }
  };

  onConnect(abort: Abort): void {
    if (this.abortedWith) abort(this.abortedWith);
    else this.abortRequest = abort;
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    if (status < 200) return true; // 1xx: the answer is still to come
    const abort = (error: Error) => this.abortRequest?.(error);
    this.body = new ResponseBody(resume, abort, this.afterEnd);
    this.resolve({ status, headers: headersOf(raw), body: this.body });
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.body ? this.body.push(chunk) : true;
  }

  onComplete(): void {
    this.finish();
    this.body?.end();
  }

  onError(error: Error): void {
    this.finish();
    if (this.body) this.body.fail(error);
    else this.reject(error);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    this.onSettled?.();
  }
}

/**
 * Sends one request through an undici dispatcher (a `Client` of sfkit's own, an `Agent`, a
 * `ProxyAgent` or the caller's) with sfkit's own lean handler: no Node stream per response.
 */
export function dispatchRequest(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal | undefined,
  settled?: { onSettled?: () => void; afterEnd?: () => Promise<void> },
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      settled?.onSettled?.();
      reject(signal.reason);
      return;
    }
    const handler = new ResponseHandler(resolve, reject, signal, settled?.onSettled, settled?.afterEnd);
    try {
      dispatcher.dispatch(options, handler as unknown as Dispatcher.DispatchHandler);
    } catch (error) {
      handler.onError(error as Error); // undici's own dispatchers report through onError; another may throw
    }
  });
}
