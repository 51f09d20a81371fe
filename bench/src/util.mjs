// Small helpers shared by the orchestrator and the child processes.
import { spawn } from "node:child_process";
import { once } from "node:events";

export const median = (values) => {
  const sorted = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Peak resident set size of this process so far, in MB (the kernel's high-water mark). */
export const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * Runs `node <script> <json>` in a fresh process and resolves with the JSON object it
 * prints on its last stdout line. stderr is passed through (prefixed) so failures show.
 */
export async function runChild(script, payload, { timeoutMs = 30 * 60_000, nodeArgs = [], cwd } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script, JSON.stringify(payload)], {
    stdio: ["ignore", "pipe", "pipe"],
    cwd,
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const [code, signal] = await once(child, "close");
  clearTimeout(timer);
  const last = out.trim().split("\n").pop() ?? "";
  if (code !== 0) {
    throw new Error(
      `${script} ${payload.case ?? ""}/${payload.client ?? ""} exited with ${code ?? signal}: ${err.trim().slice(-2000)}`,
    );
  }
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${script} printed no JSON result: ${out.slice(-500)} ${err.slice(-1000)}`);
  }
}

/** A mistake in the command line: main prints the message alone (no stack) and exits 2. */
export class UsageError extends Error {}

export const USAGE =
  "usage: pnpm bench [--quick] [--runs N] [--only 1,2,3,4,5,6] [--skip 1,...] [--out FILE] [--profile] [--report]";
const CASES = ["1", "2", "3", "4", "5", "6"];

/** Parses `--quick`, `--runs N`, `--only a,b`, `--skip a,b`, `--out FILE`, `--profile`, `--report`. */
export function parseArgs(argv) {
  const args = {
    quick: false,
    runs: undefined,
    only: undefined,
    skip: [],
    out: undefined,
    profile: false,
    report: false,
    check: false,
  };
  const valueAfter = (i, flag, example) => {
    const value = argv[i];
    if (value === undefined || value.startsWith("--")) {
      throw new UsageError(`${flag} needs a value, e.g. ${flag} ${example}`);
    }
    return value;
  };
  const cases = (value, flag) => {
    const list = value.split(",").map((c) => c.trim());
    const bad = list.filter((c) => !CASES.includes(c));
    if (bad.length) {
      throw new UsageError(
        `${flag} ${value}: cases are numbered 1 to 6 (not ${bad.join(", ")}), e.g. ${flag} 1,2`,
      );
    }
    return list;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") args.quick = true;
    else if (a === "--profile") args.profile = true;
    else if (a === "--report") args.report = true;
    // internal: scripts/run.mjs checks the arguments before it installs and builds
    else if (a === "--check") args.check = true;
    else if (a === "--runs") {
      const value = valueAfter(++i, a, "3");
      args.runs = Number(value);
      if (!Number.isInteger(args.runs) || args.runs < 1) {
        throw new UsageError(`--runs ${value}: give a whole number of runs of at least 1, e.g. --runs 3`);
      }
    } else if (a === "--only") args.only = cases(valueAfter(++i, a, "1,2"), a);
    else if (a === "--skip") args.skip = cases(valueAfter(++i, a, "4,5"), a);
    else if (a === "--out") args.out = valueAfter(++i, a, "/tmp/bench.md");
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a !== "--") throw new UsageError(`unknown argument ${a}\n${USAGE}`);
  }
  return args;
}

export const fmt = (value, digits = 0) =>
  value === undefined || value === null || Number.isNaN(value)
    ? "—"
    : Number(value).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
