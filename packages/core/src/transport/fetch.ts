import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Transport, TransportFactory, TransportRequest, TransportResponse } from "../types.js";

/** Any fetch: the global one, node-fetch, or a test double. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    // any, so that the global fetch can be passed as is (its RequestInit leaves out the async iterables it takes with duplex "half")
    body?: any;
    signal?: AbortSignal;
    redirect?: "manual";
    duplex?: "half";
  },
) => Promise<{
  status: number;
  headers: { forEach(callback: (value: string, key: string) => void): void };
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null;
}>;

/** A transport over a fetch function the user injects (`createClient({ fetch })`). */
export function fetchTransport(fetch: FetchLike): TransportFactory {
  return (): Transport => ({
    name: "fetch",
    async send(request: TransportRequest): Promise<TransportResponse> {
      const streaming =
        request.body !== undefined &&
        typeof request.body === "object" &&
        !(request.body instanceof Uint8Array);
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        redirect: "manual",
        ...(streaming ? { duplex: "half" } : {}),
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      return { status: response.status, headers, body: nodeBody(response.body) };
    },
  });
}

/**
 * A web stream as a Node stream: a web stream's iterator cannot be stopped while a read is
 * pending (its return() waits for that read), while destroying the Node stream cancels the
 * read at once, so a caller who destroys a response gets its connection back straight away.
 */
function nodeBody(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null) {
  // Node's own web streams only: Readable.fromWeb refuses a polyfill's, which is read as it is
  // (the global class, Node's own: importing node:stream/web would load web streams with core)
  if (body instanceof ReadableStream) return Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  return body as AsyncIterable<Uint8Array> | null;
}
