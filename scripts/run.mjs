#!/usr/bin/env node
// The one entry point behind the README's quick start (`npm run demo`, `npm test`).
// It needs only Node and npm: pnpm comes through npx at the pinned version, then
// everything else is installed from the committed lockfile.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM = ["--yes", "pnpm@10.34.9"];
const RESULTS = join(root, ".sfkit-test-results.json");

function run(cmd, args, { allowFail = false, env } = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: "inherit",
    env: { TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", ...process.env, ...env },
  });
  const code = result.status ?? 1;
  if (code !== 0 && !allowFail) {
    console.error(`\n✖ ${cmd} ${args.join(" ")} exited with ${code}`);
    return code;
  }
  return code;
}

function pnpm(args, options) {
  // A pnpm already on PATH at the pinned version saves the npx round trip.
  const probe = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim() === "10.34.9") return run("pnpm", args, options);
  return run("npx", [...PNPM, ...args], options);
}

function install() {
  const frozen = existsSync(join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
  return pnpm(["install", ...frozen, "--config.confirmModulesPurge=false"]);
}

/**
 * Prints the closing line CI reads. A suite that failed to load, an unhandled error or a
 * failed build step each count as one failure, so a broken run never reads as green.
 */
function summary({ stepFailed, runnerFailed }) {
  let passed = 0;
  let failed = stepFailed ? 1 : 0;
  if (existsSync(RESULTS)) {
    const report = JSON.parse(readFileSync(RESULTS, "utf8"));
    passed = report.numPassedTests ?? 0;
    const failedTests = report.numFailedTests ?? 0;
    const failedSuites = report.numFailedTestSuites ?? 0;
    failed += failedTests + (failedTests === 0 ? failedSuites : 0);
  }
  if (runnerFailed && failed === 0) failed = 1;
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return failed;
}

const task = process.argv[2];
if (task === "test") {
  rmSync(RESULTS, { force: true });
  let code = install();
  if (code === 0) code = pnpm(["turbo", "run", "build", "typecheck", "lint", "--output-logs=errors-only"]);
  if (code === 0) code = pnpm(["exec", "biome", "check", "."]);
  let testCode = 0;
  if (code === 0) {
    testCode = pnpm(
      ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${RESULTS}`],
      { allowFail: true },
    );
  }
  const failed = summary({ stepFailed: code !== 0, runnerFailed: testCode !== 0 });
  process.exit(code !== 0 || testCode !== 0 || failed > 0 ? 1 : 0);
} else if (task === "demo") {
  let code = install();
  if (code === 0) code = pnpm(["turbo", "run", "build", "--output-logs=errors-only"]);
  if (code === 0) code = run("node", ["examples/demo/src/main.mjs", ...process.argv.slice(3)]);
  process.exit(code);
} else if (task === "bench") {
  const benchArgs = process.argv.slice(3);
  const bench = (extra) => run("node", ["bench/src/main.mjs", ...benchArgs, ...extra], { allowFail: true });
  // Mistakes in the arguments are told before minutes of install and build, and --help and
  // --report (which measure nothing) need neither.
  if (benchArgs.some((a) => a === "--help" || a === "-h")) process.exit(bench([]));
  const checked = bench(["--check"]);
  if (checked !== 0 || benchArgs.includes("--report")) process.exit(checked !== 0 ? checked : bench([]));
  let code = install();
  if (code === 0) code = pnpm(["turbo", "run", "build", "--output-logs=errors-only"]);
  if (code === 0) code = pnpm(["--filter", "@sfkit/bench", "run", "bench", ...process.argv.slice(3)]);
  process.exit(code);
} else {
  console.error("usage: node scripts/run.mjs test|demo|bench");
  process.exit(2);
}
