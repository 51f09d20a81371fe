/** Bytes a reader may leave unread before undici stops reading the socket. */
const HIGH_WATER = 64 * 1024;

/**
 * A response body as undici's handler delivers it, for core to read: an async iterable with
 * back-pressure, `bytes()` for a body read in full, and `destroy()`. Plain chunks in an array,
 * not a Node stream: a `Readable` and its async iterator cost more per response than all of
 * sfkit's own request path (bench/FINDINGS.md, item 16). It emits no events, so no failure can
 * become an 'error' that nobody hears.
 *
 * When given, `afterEnd` runs once the body has ended, and the end is reported only after it
 * settles (the undici Agent path waits a turn there so that the next request reuses the
 * connection).
 */
export class ResponseBody implements AsyncIterable<Uint8Array> {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  /** Reading in full: no back-pressure. */
  private whole = false;
  private paused = false;
  private afterEndDone: Promise<void> | undefined;

  constructor(
    private readonly resume: () => void,
    private readonly abort: (error: Error) => void,
    private readonly afterEnd?: () => Promise<void>,
  ) {}

  /** From undici's handler: false asks undici to stop reading until `resume`. */
  push(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.queued += chunk.length;
    this.wakeReader();
    if (this.whole || this.queued < HIGH_WATER) return true;
    this.paused = true;
    return false;
  }

  /** From undici's handler: the whole body has arrived. */
  end(): void {
    this.ended = true;
    this.wakeReader();
  }

  /** From undici's handler: the body failed (cut, timed out, aborted). */
  fail(error: unknown): void {
    if (this.ended || this.failure) return;
    this.failure = { error };
    this.chunks.length = 0;
    this.wakeReader();
  }

  /** Gives the body up: aborts what has not arrived yet (its connection is then closed). */
  destroy(): void {
    if (this.ended || this.failure) {
      this.chunks.length = 0;
      return;
    }
    const error = Object.assign(new Error("The response body was destroyed before its end"), {
      name: "AbortError",
      code: "UND_ERR_ABORTED",
    });
    this.fail(error);
    this.abort(error);
  }

  async bytes(): Promise<Uint8Array> {
    this.whole = true;
    this.resumeIfPaused();
    while (!this.ended) {
      if (this.failure) throw this.failure.error;
      await this.nextChunk();
    }
    if (this.failure) throw this.failure.error;
    const { chunks } = this;
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.queued);
    chunks.length = 0;
    this.queued = 0;
    const reported = this.reportEnd();
    if (reported) await reported;
    return bytes;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.read(),
      return: async () => {
        this.destroy();
        return { done: true, value: undefined };
      },
      throw: async (error?: unknown) => {
        this.destroy();
        throw error;
      },
    };
  }

  private async read(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        this.queued -= chunk.length;
        if (this.queued < HIGH_WATER / 2) this.resumeIfPaused();
        return { done: false, value: chunk };
      }
      if (this.failure) throw this.failure.error;
      if (this.ended) {
        const reported = this.reportEnd();
        if (reported) await reported;
        return { done: true, value: undefined };
      }
      await this.nextChunk();
    }
  }

  private nextChunk(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private resumeIfPaused(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resume();
  }

  private reportEnd(): Promise<void> | undefined {
    if (!this.afterEnd) return undefined;
    this.afterEndDone ??= this.afterEnd();
    return this.afterEndDone;
  }
}
