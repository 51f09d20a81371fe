import type { Transport, TransportFactory, TransportRequest, TransportResponse } from "../types.js";

/** Any fetch: the global one, node-fetch, or a test double. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: unknown;
    signal?: AbortSignal;
    redirect?: string;
    duplex?: string;
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
      return { status: response.status, headers, body: response.body as AsyncIterable<Uint8Array> | null };
    },
  });
}
