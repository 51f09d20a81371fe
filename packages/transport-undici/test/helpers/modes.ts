import { createClient } from "@sfkit/core";
import { Agent } from "undici";
import { afterEach, beforeEach } from "vitest";
import { type UndiciTransportOptions, undiciTransport } from "../../src/index.js";

/** The transport on its own connections, or (the control) on an undici `Agent` given as `dispatcher`. */
export type Mode = "own" | "agent";

export function transportFor(mode: Mode, options: UndiciTransportOptions = {}) {
  if (mode === "own") return undiciTransport(options);
  const agent = new Agent({ connections: options.connections ?? 64, headersTimeout: 0 });
  return undiciTransport({ ...options, dispatcher: agent });
}

export function clientFor(url: string, mode: Mode, options: UndiciTransportOptions = {}, extra: object = {}) {
  return createClient({ transport: transportFor(mode, options), instanceUrl: url, sessionId: "s", ...extra });
}

/**
 * Collects, test by test, the uncaught exceptions and unhandled rejections (an 'error' event
 * nobody hears ends a real process) and the process warnings (MaxListeners, ...).
 */
export function collectFaults(): { faults: unknown[]; warnings: Error[] } {
  const faults: unknown[] = [];
  const warnings: Error[] = [];
  const onFault = (error: unknown) => faults.push(error);
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeEach(() => {
    faults.length = 0;
    warnings.length = 0;
    process.on("uncaughtException", onFault);
    process.on("unhandledRejection", onFault);
    process.on("warning", onWarning);
  });
  afterEach(() => {
    process.off("uncaughtException", onFault);
    process.off("unhandledRejection", onFault);
    process.off("warning", onWarning);
  });
  return { faults, warnings };
}
