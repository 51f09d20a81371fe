import { Readable, pipeline } from "node:stream";
import { createRequire } from "node:module";
import type { TransportResponse } from "./types.js";

/** Reads a transport body fully, up to `limit` bytes when given (the rest is drained). */
export async function readBytes(
  body: TransportResponse["body"],
  limit = Number.POSITIVE_INFINITY,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  if (body.bytes && limit === Number.POSITIVE_INFINITY) {
    const bytes = await body.bytes();
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size >= limit) continue;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(buffer);
    size += buffer.length;
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/** Discards a body so that its connection goes back to the pool. */
export async function drain(body: AsyncIterable<Uint8Array> | null): Promise<void> {
  if (!body) return;
  try {
    for await (const _ of body) {
      // discard
    }
  } catch {
    // the connection is gone anyway
  }
}

const ignore = () => undefined;

// zlib is only needed for compressed bodies; load it then (import cost matters for CLIs).
const zlib = () => createRequire(import.meta.url)("node:zlib") as typeof import("node:zlib");

const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Undoes Content-Encoding, trusting the bytes over the label: proxies and fetch
 * implementations sometimes leave "gzip" on a body that is already plain.
 */
export function decodeBytes(bytes: Buffer, encoding: string | undefined): Buffer {
  const label = (encoding ?? "").toLowerCase();
  if (isGzip(bytes)) return zlib().gunzipSync(bytes);
  if (label.includes("deflate") && bytes.length > 0 && bytes[0] === 0x78) {
    try {
      return zlib().inflateSync(bytes);
    } catch {
      return bytes;
    }
  }
  return bytes;
}

/** The streaming form of decodeBytes: peeks at the first chunk to decide. */
export function decodeStream(
  body: AsyncIterable<Uint8Array> | null,
  streamError: (cause: unknown) => Error = (cause) => cause as Error,
): Readable {
  if (!body) return Readable.from([], { objectMode: false });
  const iterator = body[Symbol.asyncIterator]();
  async function* rest(first: Uint8Array): AsyncGenerator<Buffer> {
    yield Buffer.from(first);
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield Buffer.from(next.value);
  }
  let finished = false;
  async function* decoded(): AsyncGenerator<Buffer> {
    try {
      const first = await iterator.next();
      if (first.done) return;
      if (!isGzip(first.value)) return yield* rest(first.value);
      const gunzip = zlib().createGunzip();
      // pipeline, not pipe: pipe forwards no errors, so a body that failed or was destroyed left
      // the gunzip stream waiting for ever and its own 'error' unheard (which ends the process)
      pipeline(Readable.from(rest(first.value), { objectMode: false }), gunzip, ignore);
      yield* gunzip;
    } catch (cause) {
      throw streamError(cause); // the reader gets sfkit's typed error, whatever the transport
    } finally {
      finished = true;
      // A reader that stops early must give the body back, or its pooled connection stays taken.
      await iterator.return?.();
    }
  }
  const stream = Readable.from(decoded(), { objectMode: false });
  // Destroyed before decoded() has finished, the body must be given back at once: before the
  // first read decoded() never runs its finally, and while it waits for a chunk the stream's own
  // destroy waits for that chunk (or the body time-out) before it returns. So hook destroy itself
  // ('close' comes too late), and destroy a body that can be destroyed (a Node stream, the undici
  // transport's): an iterator's return() cannot interrupt a pending read.
  const destroyStream = stream._destroy;
  stream._destroy = (error, callback) => {
    if (!finished) {
      (body as { destroy?: () => void }).destroy?.();
      Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
    destroyStream.call(stream, error, callback);
  };
  return stream;
}
