import { type CliIo, interactive, writeAll } from "./io.js";

/** A progress display on stderr; does nothing when stderr is not an interactive terminal. */
export interface Progress {
  update(done: number, total?: number, note?: string): void;
  /** Clears the line; a final message, if given, stays (only on a terminal). */
  stop(message?: string): void;
}

const quiet: Progress = { update() {}, stop() {} };

/** Where a command writes: results on stdout, people-messages on stderr. */
export class Output {
  readonly warnings: string[] = [];
  readonly #io: CliIo;
  readonly #json: boolean;
  readonly #redact: (text: string) => string;

  constructor(io: CliIo, json: boolean, redact: (text: string) => string = (t) => t) {
    this.#io = io;
    this.#json = json;
    this.#redact = redact;
  }

  /** Whether progress, spinners and colour are allowed. */
  get interactive(): boolean {
    return !this.#json && interactive(this.#io);
  }

  /** Writes result text to stdout (waits for the pipe to drain when it is full). */
  print(text: string): Promise<void> {
    return writeAll(this.#io.stdout, this.#redact(text));
  }

  /** A log line for people: stderr, only on an interactive terminal and never with --json. */
  log(message: string): void {
    if (this.interactive) this.#io.stderr.write(`${this.#redact(message)}\n`);
  }

  /** A warning: in the --json envelope, or on stderr. */
  warn(message: string): void {
    const text = this.#redact(message);
    this.warnings.push(text);
    if (!this.#json) this.#io.stderr.write(`Warning: ${text}\n`);
  }

  /** A notice that must reach people even in scripts (stderr), e.g. where result files went. */
  notice(message: string): void {
    if (!this.#json) this.#io.stderr.write(`${this.#redact(message)}\n`);
  }

  progress(label: string): Progress {
    if (!this.interactive) return quiet;
    const stderr = this.#io.stderr;
    let last = "";
    return {
      update(done, total, note) {
        const width = 24;
        let line: string;
        if (total && total > 0) {
          const ratio = Math.min(1, done / total);
          const filled = Math.round(ratio * width);
          line = `${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total}`;
        } else {
          line = `${label} ${done}`;
        }
        if (note) line += ` ${note}`;
        if (line !== last) stderr.write(`\r\x1b[2K${line}`);
        last = line;
      },
      stop(message) {
        stderr.write(`\r\x1b[2K${message ? `${message}\n` : ""}`);
      },
    };
  }
}
