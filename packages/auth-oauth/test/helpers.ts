import { inspect } from "node:util";
import type { FetchLike } from "@sfkit/core";

/** A logger that keeps every line (debug included), to prove no secret reaches it. */
export function recordingLogger() {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, data?: Record<string, unknown>) =>
    lines.push(`${level} ${message}${data ? ` ${JSON.stringify(data)}` : ""}`);
  return {
    lines,
    logger: { debug: keep("debug"), info: keep("info"), warn: keep("warn"), error: keep("error") },
  };
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The real global fetch, with every request written down on its way to the emulator (the
 * wire is then checked exactly; nothing is mocked).
 */
export function recordingFetch(): { seen: SeenRequest[]; fetch: FetchLike } {
  const seen: SeenRequest[] = [];
  const fetch: FetchLike = async (url, init) => {
    const body =
      typeof init.body === "string"
        ? init.body
        : init.body instanceof Uint8Array
          ? Buffer.from(init.body).toString("utf8")
          : "";
    seen.push({ method: init.method, url, headers: { ...init.headers }, body });
    return globalThis.fetch(url, init as RequestInit) as unknown as ReturnType<FetchLike>;
  };
  return { seen, fetch };
}

/** Everything a value shows when printed, logged, serialised or inspected. */
export function printable(value: unknown): string {
  let json = "";
  try {
    json = JSON.stringify(value) ?? "";
  } catch {
    json = "";
  }
  return [
    String(value),
    json,
    inspect(value, { depth: 10 }),
    inspect(value, { depth: 10, showHidden: true }),
    (value as Error)?.stack ?? "",
  ].join("\n");
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}
