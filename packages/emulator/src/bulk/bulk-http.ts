// HTTP plumbing shared by the Bulk 1.0 and 2.0 handlers: bodies, JSON/XML/CSV answers and
// the processing pace (an emulated org works in the background, a slice of rows at a time).
import type { RequestContext } from "../context.js";

/** How fast the emulated org works through bulk jobs. */
export interface BulkEmulatorOptions {
  /** Wait before a closed job (or a queued batch) starts processing, in ms. @default 5 */
  processingDelayMs?: number;
  /** Rows processed between two yields to the event loop. @default 5000 */
  rowsPerTick?: number;
  /** Extra wait between two slices of rows, in ms (slow jobs for polling tests). @default 0 */
  tickDelayMs?: number;
  /** Bulk 1.0 query: rows per result file (a bigger result gets several result ids). @default 100000 */
  queryResultRows?: number;
  /** Bulk 2.0 query: rows per results page when the client gives no maxRecords. @default 50000 */
  queryPageRows?: number;
  /** Bulk 2.0: largest upload per job in bytes (Salesforce: 150 MB base64 ≈ 100 MB raw). @default 150000000 */
  maxUploadBytes?: number;
}

export type ResolvedBulkOptions = Required<BulkEmulatorOptions>;

export function resolveBulkOptions(options: BulkEmulatorOptions = {}): ResolvedBulkOptions {
  return {
    processingDelayMs: 5,
    rowsPerTick: 5000,
    tickDelayMs: 0,
    queryResultRows: 100_000,
    queryPageRows: 50_000,
    maxUploadBytes: 150_000_000,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
}

/** The background worker's pace: pausing, slicing, stopping at close. */
export class Pace {
  paused = false;
  closed = false;
  constructor(readonly options: ResolvedBulkOptions) {}

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref?.();
    });
  }

  /** Waits before a job starts, and while the org is paused. */
  async start(): Promise<void> {
    await this.sleep(this.options.processingDelayMs);
    while (this.paused && !this.closed) await this.sleep(10);
  }

  /** Called between slices of rows. */
  async slice(): Promise<void> {
    if (this.options.tickDelayMs > 0) await this.sleep(this.options.tickDelayMs);
    else await new Promise((resolve) => setImmediate(resolve));
    while (this.paused && !this.closed) await this.sleep(10);
  }
}

/** Streams a response (large CSV results) with backpressure, Sforce-Limit-Info included. */
export async function streamResponse(
  ctx: RequestContext,
  status: number,
  headers: Record<string, string>,
  lines: AsyncIterable<string> | Iterable<string>,
): Promise<void> {
  const res = ctx.res;
  ctx.responded = true;
  const all: Record<string, string> = { ...ctx.extraHeaders, ...headers, Date: new Date().toUTCString() };
  if (ctx.limitInfo) all["Sforce-Limit-Info"] = ctx.org.apiUsageHeader();
  res.writeHead(status, all);
  let buffer = "";
  try {
    // A synchronous source (query results in memory) is read without an await per line.
    const sync = Symbol.iterator in lines ? (lines as Iterable<string>)[Symbol.iterator]() : undefined;
    const source = sync ?? (lines as AsyncIterable<string>)[Symbol.asyncIterator]();
    for (;;) {
      const step = sync ? sync.next() : await (source as AsyncIterator<string>).next();
      if (step.done) break;
      buffer += step.value;
      if (buffer.length >= 64 * 1024) {
        if (!res.write(buffer)) await new Promise((resolve) => res.once("drain", resolve));
        buffer = "";
        if (res.destroyed) {
          await (sync ?? source).return?.();
          return;
        }
      }
    }
    if (ctx.fault?.drop === "mid-body") {
      // Fault injection: half of the (last) chunk, then the socket dies without the final chunk.
      res.write(buffer.slice(0, Math.max(1, Math.floor(buffer.length / 2))), () => res.socket?.destroy());
      return;
    }
    res.end(buffer);
  } catch {
    // the data could not be read again: end what was sent
    if (!res.writableEnded) res.end(buffer);
  }
}

/** The request body: as buffered by the server, or streamed when the route asked for it. */
export function bodyChunks(ctx: RequestContext): AsyncIterable<Buffer> | Buffer[] {
  if (ctx.body.length > 0 || ctx.req.readableEnded) return [ctx.body];
  return ctx.req as AsyncIterable<Buffer>;
}

/** `2024-11-21T09:28:59.000Z` (Bulk 1.0 XML) */
export function isoZ(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2024-11-21T09:28:59.000+0000` (Bulk 1.0 JSON and Bulk 2.0) */
export function isoOffset(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}
