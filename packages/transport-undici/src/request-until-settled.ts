import type { Client, Dispatcher } from "undici";

/** The undici handler methods that `Client.request`'s own handler implements. */
type RequestHandler = Required<
  Pick<Dispatcher.DispatchHandler, "onConnect" | "onHeaders" | "onData" | "onComplete" | "onError">
>;

/**
 * Passes every event on to `request()`'s handler and calls `onSettled` when the exchange is
 * over for the connection: the whole response has arrived (whether or not the caller has read
 * it yet) or the request failed (an error, an abort, the body time-out, the body destroyed).
 */
export class SettlingHandler implements RequestHandler {
  constructor(
    private readonly inner: RequestHandler,
    private readonly onSettled: () => void,
  ) {}

  onConnect(abort: (error?: Error) => void, context?: unknown): void {
    (this.inner.onConnect as (abort: (error?: Error) => void, context?: unknown) => void)(abort, context);
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    return this.inner.onHeaders(statusCode, headers, resume, statusText);
  }

  onData(chunk: Buffer): boolean {
    return this.inner.onData(chunk);
  }

  onComplete(trailers: string[] | null): void {
    this.onSettled();
    this.inner.onComplete(trailers);
  }

  onError(error: Error): void {
    this.onSettled();
    this.inner.onError(error);
  }
}

/**
 * `client.request(options)`, calling `onSettled` once the connection is done with it. The
 * response's end alone is not enough: a body that arrived completely but is never read, or one
 * that failed or was aborted unread, never ends for its reader. undici's `request()` hands its
 * handler to `this.dispatch`, which is where the handler is wrapped.
 */
export function requestUntilSettled(
  client: Client,
  options: Dispatcher.RequestOptions,
  onSettled: () => void,
): Promise<Dispatcher.ResponseData> {
  const wrapping = {
    dispatch: (opts: Dispatcher.DispatchOptions, handler: RequestHandler) =>
      client.dispatch(opts, new SettlingHandler(handler, onSettled)),
  };
  return (
    client.request as (this: unknown, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>
  ).call(wrapping, options);
}
