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

/** Parses `--quick`, `--runs N`, `--only a,b`, `--skip a,b`, `--out FILE`. */
export function parseArgs(argv) {
  const args = {
    quick: false,
    runs: undefined,
    only: undefined,
    skip: [],
    out: undefined,
    profile: false,
    report: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") args.quick = true;
    else if (a === "--profile") args.profile = true;
    else if (a === "--report") args.report = true;
    else if (a === "--runs") args.runs = Number(argv[++i]);
    else if (a === "--only") args.only = argv[++i].split(",");
    else if (a === "--skip") args.skip = argv[++i].split(",");
    else if (a === "--out") args.out = argv[++i];
    else if (a === "--help" || a === "-h") {
      console.log(
        "usage: pnpm bench [--quick] [--runs N] [--only 1,2,3,4,5,6] [--skip ...] [--out FILE] [--profile] [--report]",
      );
      process.exit(0);
    } else if (a !== "--") throw new Error(`unknown argument ${a}; try --help`);
  }
  return args;
}

export const fmt = (value, digits = 0) =>
  value === undefined || value === null || Number.isNaN(value)
    ? "—"
    : Number(value).toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
