/** Something text can be written to: process.stdout, a file stream, or a test buffer. */
export interface TextSink {
  write(chunk: string): boolean;
  once?(event: "drain", listener: () => void): unknown;
}

/**
 * Everything a command touches outside itself. Tests pass their own, so that every
 * command runs in-process with captured output and a private environment.
 */
export interface CliIo {
  /** Results: tables, CSV, JSON. */
  stdout: TextSink;
  /** Messages for people: progress, warnings, errors. */
  stderr: TextSink;
  /** Whether stderr is a terminal (progress bars and colour only then). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Input for `--values -`, passwords from a pipe, ... (optional). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Fires when the user interrupts (Ctrl-C); long-running commands stop on it. */
  signal?: AbortSignal;
}

/** The real process's io. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    ...(signal ? { signal } : {}),
  };
}

/** Writes and waits for the sink to drain when it asks to (streamed output keeps memory flat). */
export async function writeAll(sink: TextSink, text: string): Promise<void> {
  if (!text) return;
  if (sink.write(text) || typeof sink.once !== "function") return;
  await new Promise<void>((resolve) => sink.once?.("drain", resolve));
}

/** Whether progress and colour may be shown: a terminal, no NO_COLOR, no CI, no TERM=dumb. */
export function interactive(io: CliIo): boolean {
  const env = io.env;
  if (!io.isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0") return false;
  if (env.TERM === "dumb") return false;
  return true;
}
