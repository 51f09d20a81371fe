import { ConfigurationError } from "@sfkit/core";
import type { LineEnding } from "./types.js";

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const FLUSH_BYTES = 256 * 1024;

/**
 * Cuts a CSV byte stream into records without parsing the cells: a record ends at a line
 * feed outside double quotes (RFC 4180), so quoted newlines never split a record. Each
 * record is a view of the source chunk (plus a copy only when it spans chunks); records
 * come a chunk's worth at a time. Quotes and line feeds are found with indexOf.
 */
async function* csvRecordBatches(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer[]> {
  let inQuotes = false;
  let partial: Buffer[] = [];
  for await (const input of source) {
    const chunk =
      typeof input === "string"
        ? Buffer.from(input, "utf8")
        : Buffer.isBuffer(input)
          ? input
          : Buffer.from(input);
    const batch: Buffer[] = [];
    let start = 0;
    let pos = 0;
    let nextQuote = chunk.indexOf(QUOTE);
    const len = chunk.length;
    while (pos < len) {
      if (inQuotes) {
        if (nextQuote < pos) nextQuote = chunk.indexOf(QUOTE, pos);
        if (nextQuote < 0) break;
        inQuotes = false;
        pos = nextQuote + 1;
        continue;
      }
      const lf = chunk.indexOf(LF, pos);
      if (nextQuote >= 0 && nextQuote < pos) nextQuote = chunk.indexOf(QUOTE, pos);
      if (nextQuote >= 0 && (lf < 0 || nextQuote < lf)) {
        inQuotes = true;
        pos = nextQuote + 1;
        continue;
      }
      if (lf < 0) break;
      const piece = chunk.subarray(start, lf + 1);
      if (partial.length) {
        partial.push(piece);
        batch.push(Buffer.concat(partial));
        partial = [];
      } else batch.push(piece);
      start = pos = lf + 1;
    }
    if (start < len) partial.push(Buffer.from(chunk.subarray(start)));
    if (batch.length) yield batch;
  }
  if (partial.length) yield [Buffer.concat(partial)];
}

/** One upload: the header, then records, up to the byte and row limits. */
export interface CsvPart {
  /** Yields the bytes of this part; `rows`/`bytes` are final once it is exhausted. */
  body: AsyncIterable<Buffer>;
  readonly rows: number;
  readonly bytes: number;
}

/**
 * Splits CSV input into parts below `maxBytes` (and `maxRows`), each starting with the
 * header, cut only between records. Record terminators are made to match one line ending
 * (the header's, or the one asked for), so the job can declare what the data really uses.
 */
export class CsvSplitter {
  private readonly batches: AsyncGenerator<Buffer[]>;
  private queue: Buffer[] = [];
  private queued = 0;
  private header: Buffer | undefined;
  private peeked: Buffer | undefined;
  private finished = false;
  lineEnding: LineEnding = "LF";
  totalRows = 0;

  constructor(
    source: AsyncIterable<Uint8Array | string>,
    private readonly limits: { maxBytes: number; maxRows: number; lineEnding?: LineEnding },
  ) {
    this.batches = csvRecordBatches(source);
  }

  /** Reads the header line; an input without one is a ConfigurationError. */
  async start(): Promise<void> {
    const first = await this.take();
    if (!first || first.toString("utf8").trim() === "") {
      throw new ConfigurationError("The CSV data is empty: it needs a header line with the field names.");
    }
    let header = first;
    if (header[0] === 0xef && header[1] === 0xbb && header[2] === 0xbf) header = header.subarray(3);
    const detected: LineEnding = header.length >= 2 && header[header.length - 2] === CR ? "CRLF" : "LF";
    this.lineEnding = this.limits.lineEnding ?? detected;
    this.header = this.terminate(header);
  }

  /** Stops reading the input (closes a file stream). */
  async close(): Promise<void> {
    this.finished = true;
    this.peeked = undefined;
    this.queue = [];
    await this.batches.return(undefined);
  }

  /** Whether another part has rows to upload. */
  async hasMore(): Promise<boolean> {
    if (this.peeked) return true;
    if (this.finished) return false;
    const next = await this.nextRecord();
    if (!next) return false;
    this.peeked = next;
    return true;
  }

  /** The next record from the batch in hand, without waiting; undefined when it is used up. */
  private nextQueued(): Buffer | undefined {
    while (this.queued < this.queue.length) {
      const record = this.queue[this.queued++]!;
      // blank lines carry no row
      if (record.length === 0 || (record.length <= 2 && (record[0] === LF || record[0] === CR))) continue;
      return this.terminate(record);
    }
    return undefined;
  }

  private async nextRecord(): Promise<Buffer | undefined> {
    for (;;) {
      const record = this.nextQueued();
      if (record) return record;
      const next = await this.batches.next();
      if (next.done) {
        this.finished = true;
        return undefined;
      }
      this.queue = next.value;
      this.queued = 0;
    }
  }

  /** The next raw record (the header), from the current batch or the next one. */
  private async take(): Promise<Buffer | undefined> {
    while (this.queued >= this.queue.length) {
      const next = await this.batches.next();
      if (next.done) return undefined;
      this.queue = next.value;
      this.queued = 0;
    }
    return this.queue[this.queued++];
  }

  /** Gives the record exactly one terminator, the declared one. */
  private terminate(record: Buffer): Buffer {
    const crlf = this.lineEnding === "CRLF";
    const n = record.length;
    if (n > 0 && record[n - 1] === LF) {
      const hasCr = n > 1 && record[n - 2] === CR;
      if (hasCr === crlf) return record;
      return crlf
        ? Buffer.concat([record.subarray(0, n - 1), Buffer.from("\r\n")])
        : Buffer.concat([record.subarray(0, n - 2), Buffer.from("\n")]);
    }
    return Buffer.concat([record, Buffer.from(crlf ? "\r\n" : "\n")]);
  }

  /** The next part; consume its body fully before asking for another. */
  nextPart(): CsvPart {
    if (!this.header) throw new Error("CsvSplitter.start() must be called first");
    const header = this.header;
    const { maxBytes, maxRows } = this.limits;
    const state = { rows: 0, bytes: 0 };
    const self = this;
    async function* body(): AsyncGenerator<Buffer> {
      let pending: Buffer[] = [header];
      let pendingBytes = header.length;
      state.bytes = header.length;
      for (;;) {
        const record = self.peeked ?? self.nextQueued() ?? (await self.nextRecord());
        self.peeked = undefined;
        if (!record) break;
        if (state.rows > 0 && (state.bytes + record.length > maxBytes || state.rows >= maxRows)) {
          self.peeked = record;
          break;
        }
        pending.push(record);
        pendingBytes += record.length;
        state.bytes += record.length;
        state.rows++;
        self.totalRows++;
        if (pendingBytes >= FLUSH_BYTES) {
          yield Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
        }
      }
      if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
    }
    return {
      body: body(),
      get rows() {
        return state.rows;
      },
      get bytes() {
        return state.bytes;
      },
    };
  }
}
