#!/usr/bin/env node
// `pnpm bench`: runs every case against one emulator setup and writes BENCHMARKS.md at the
// repository root. Each measurement runs in a fresh child process (its own CPU time, its
// own peak RSS); the emulator runs in another child process (see host.mjs).
import { spawn, execSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SFKIT_PACKAGES, commandTime, importDir, importTime, packageCosts } from "./cold-start.mjs";
import { contactsCsv } from "./data.mjs";
import { evaluateTargets, renderReport } from "./report.mjs";
import { UsageError, parseArgs, runChild } from "./util.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, "..");
const root = join(benchDir, "..");
const args = parseOrExit(process.argv.slice(2));

function parseOrExit(argv) {
  try {
    return parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

// Full and quick runs keep their raw results apart: a quick run must not replace the full
// run's, which partial runs (--only, --skip) and --report build on.
const rawFile = join(benchDir, "results", args.quick ? "latest.quick.raw.json" : "latest.raw.json");
const reportFile = args.out ?? join(root, args.quick ? "BENCHMARKS.quick.md" : "BENCHMARKS.md");
const wanted = (n) => (!args.only || args.only.includes(String(n))) && !args.skip.includes(String(n));

const SIZES = args.quick
  ? { requests: 500, query: 20_000, queryBig: 50_000, bulk: 100_000, runs: 1, coldRuns: 5 }
  : { requests: 2_000, query: 200_000, queryBig: 500_000, bulk: 1_000_000, runs: 9, coldRuns: 15 };
// Runs per case (medians). The bulk cases wait minutes on the emulator per run, so fewer.
const RUNS = {
  small: args.runs ?? SIZES.runs,
  large: args.runs ?? (args.quick ? 1 : 3),
  bulk: args.runs ?? (args.quick ? 1 : 2),
};
const API_VERSION = "62.0";
const REQUEST_CLIENTS = [
  "raw node:http",
  "bare node-fetch",
  "bare undici Pool",
  "sfkit (node-fetch)",
  "sfkit (undici)",
  "jsforce 3.10.16",
];
const SFKIT_AND_JSFORCE = ["sfkit (node-fetch)", "sfkit (undici)", "jsforce 3.10.16"];

const log = (...line) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...line);

/** Starts host.mjs (the emulator process) and resolves when it has seeded its data. */
async function startHost(spec) {
  const child = spawn(
    process.execPath,
    [join(here, "host.mjs"), JSON.stringify({ apiVersion: API_VERSION, ...spec })],
    {
      stdio: ["pipe", "pipe", "inherit"],
      cwd: benchDir,
    },
  );
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`the emulator process exited with ${code} before it was ready`);
  });
  const [line] = await Promise.race([once(lines, "line"), exited]);
  exited.catch(() => {});
  const info = JSON.parse(line);
  return {
    ...info,
    pid: child.pid,
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      if (child.exitCode === null) await once(child, "exit").catch(() => {});
      clearTimeout(timer);
    },
  };
}

const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

const results = { cases: {}, notes: [], errors: [] };
const add = (caseKey, client, value) => {
  results.cases[caseKey] ??= {};
  results.cases[caseKey][client] ??= [];
  results.cases[caseKey][client].push(value);
};

/** One measurement of `client` in round `run` (the report pairs the clients of one round). */
async function measure(caseKey, client, spec, run) {
  const nodeArgs = args.profile ? ["--cpu-prof", `--cpu-prof-dir=${join(benchDir, "profiles")}`] : [];
  try {
    const result = await runChild(join(here, "runner.mjs"), { client, ...spec }, { nodeArgs, cwd: benchDir });
    add(caseKey, client, { ...result, run });
    const shown = result.rps
      ? `${result.rps.toFixed(0)} req/s, ${result.cpuUsPerRequest.toFixed(0)} µs CPU/req, ${result.sockets} sockets`
      : `${(result.ms / 1000).toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB ${JSON.stringify(result.output)}`;
    log(`${caseKey} · ${client}: ${shown}`);
  } catch (error) {
    const message = String(error?.message ?? error).slice(0, 600);
    results.errors.push({ caseKey, client, message });
    log(`${caseKey} · ${client}: FAILED ${message}`);
  }
}

function machine() {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  cpuModel = cpuModel.replace(/\s+/g, " ").trim();
  let nproc = String(cpus().length);
  try {
    nproc = execSync("nproc", { encoding: "utf8" }).trim();
  } catch {}
  let commit = "";
  try {
    commit = execSync("git rev-parse --short HEAD", { cwd: root, encoding: "utf8" }).trim();
  } catch {}
  return {
    nproc,
    cpuModel,
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    commit,
    // the end is filled in when the run ends: the report says how busy the machine was
    load: { start: loadavg()[0], end: loadavg()[0] },
  };
}

async function requestCases() {
  const host = await startHost({ accounts: 100, compression: false });
  log(`emulator ${host.url} (pid ${host.pid}), static server ${host.staticUrl}, seeded in ${host.seedMs} ms`);
  const base = { url: host.url, token: host.token, apiVersion: API_VERSION, object: "Account" };
  try {
    for (let run = 0; run < RUNS.small; run++) {
      if (wanted(1)) {
        // First the limit of this machine: raw node:http against a server that does nothing.
        await measure(
          "get:static",
          "raw node:http",
          {
            ...base,
            url: host.staticUrl,
            case: "get",
            n: SIZES.requests,
            ids: host.accountIds,
          },
          run,
        );
        for (const client of rotate(REQUEST_CLIENTS, run)) {
          await measure(
            "get",
            client,
            { ...base, case: "get", n: SIZES.requests, ids: host.accountIds },
            run,
          );
        }
      }
      if (wanted(2)) {
        await measure(
          "create:static",
          "raw node:http",
          {
            ...base,
            url: host.staticUrl,
            case: "create",
            n: SIZES.requests,
            concurrency: 10,
          },
          run,
        );
        for (const client of rotate(REQUEST_CLIENTS, run)) {
          await measure(
            "create",
            client,
            { ...base, case: "create", n: SIZES.requests, concurrency: 10 },
            run,
          );
        }
      }
    }
  } finally {
    await host.stop();
  }
}

async function queryAndBulkCases() {
  const need3 = wanted(3);
  const need4 = wanted(4);
  const need5 = wanted(5);
  if (!need3 && !need4 && !need5) return;
  const csv = await contactsCsv(SIZES.bulk);
  results.csv = { rows: SIZES.bulk, bytes: csv.bytes };
  log(`CSV: ${SIZES.bulk} rows, ${(csv.bytes / 1e6).toFixed(1)} MB at ${csv.file}`);

  if (need4) {
    for (let run = 0; run < RUNS.bulk; run++) {
      for (const client of rotate(SFKIT_AND_JSFORCE, run)) {
        // A fresh, empty emulator per ingest, so every client inserts into the same state.
        const host = await startHost({});
        try {
          await measure(
            "bulkIngest",
            client,
            {
              url: host.url,
              token: host.token,
              apiVersion: API_VERSION,
              case: "bulkIngest",
              object: "Contact",
              file: csv.file,
            },
            run,
          );
        } finally {
          await host.stop();
        }
      }
    }
  }

  if (need3 || need5) {
    const t0 = Date.now();
    // Bulk 2.0 query results come as one page (no maxRecords: Salesforce sends as many rows
    // as fit), because jsforce 3.10.16 pipes every page, header line included, into one CSV
    // parser: from the second page on it reads headers as records or fails.
    const host = await startHost({
      contacts: need5 ? SIZES.bulk : SIZES.queryBig,
      bulk: { queryPageRows: SIZES.bulk },
    });
    log(`emulator with ${host.contacts} Contacts ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const base = { url: host.url, token: host.token, apiVersion: API_VERSION, object: "Contact" };
    const soql = "SELECT Id, FirstName, LastName, Email, Phone, Title FROM Contact";
    try {
      for (let run = 0; run < Math.max(need3 ? RUNS.large : 0, need5 ? RUNS.bulk : 0); run++) {
        for (const client of rotate(SFKIT_AND_JSFORCE, run)) {
          if (need3 && run < RUNS.large) {
            const limited = `${soql} LIMIT ${SIZES.query}`;
            await measure("queryAll", client, { ...base, case: "queryAll", soql: limited }, run);
            await measure("queryIter", client, { ...base, case: "queryIter", soql: limited }, run);
            await measure(
              "queryIterBig",
              client,
              {
                ...base,
                case: "queryIter",
                soql: `${soql} LIMIT ${SIZES.queryBig}`,
              },
              run,
            );
          }
          if (need5 && run < RUNS.bulk) {
            const file = join(csv.dir, `query-${process.pid}.csv`);
            await measure("bulkQuery", client, { ...base, case: "bulkQuery", soql, file }, run);
            rmSync(file, { force: true });
          }
        }
      }
    } finally {
      await host.stop();
    }
  }
}

function coldStart() {
  const runs = SIZES.coldRuns;
  const cold = { imports: {}, costs: {}, commands: {} };
  for (const name of [...SFKIT_PACKAGES, "jsforce", "node-fetch", "undici"]) {
    cold.imports[name] = importTime(name, { cwd: importDir(name, { root, cwd: benchDir }), runs });
    log(`import ${name}: ${cold.imports[name].ms?.toFixed(1) ?? cold.imports[name].error} ms`);
  }
  for (const name of [...SFKIT_PACKAGES, "jsforce"]) {
    cold.costs[name] = packageCosts(name, { cwd: importDir(name, { root, cwd: benchDir }) });
  }
  const sfkitBin = join(root, "packages/cli/bin/sfkit.js");
  cold.commands["node -e ''"] = commandTime(process.execPath, ["-e", ""], { cwd: benchDir, runs });
  cold.commands["sfkit --version"] = commandTime(process.execPath, [sfkitBin, "--version"], {
    cwd: benchDir,
    runs,
  });
  cold.commands["jsforce --version"] = commandTime(
    process.execPath,
    [join(benchDir, "node_modules/jsforce/bin/jsforce"), "--version"],
    { cwd: benchDir, runs },
  );
  for (const [k, v] of Object.entries(cold.commands)) log(`${k}: ${v.ms?.toFixed(0) ?? v.error} ms`);
  return cold;
}

/** `--report`: renders the last run's raw results again (after FINDINGS.md changed), measuring nothing. */
function rerenderReport() {
  const previous = JSON.parse(readFileSync(rawFile, "utf8"));
  writeFileSync(reportFile, renderReport(previous));
  log(`rewrote ${reportFile} from ${rawFile} (run of ${previous.machine.date})`);
}

/** Refuses, before measuring anything, what would end in a report with holes. */
function checkEarlierResults() {
  const kind = args.quick ? "pnpm bench --quick" : "pnpm bench";
  if (args.report && !existsSync(rawFile)) {
    throw new UsageError(
      `--report rewrites the report from an earlier run's results, and there are none yet (${rawFile}): run ${kind} first.`,
    );
  }
  const partial = args.only || args.skip.length;
  if (partial && !args.out && !existsSync(rawFile)) {
    throw new UsageError(
      `${args.only ? `--only ${args.only.join(",")}` : `--skip ${args.skip.join(",")}`} updates some cases of an earlier run, and there is none yet (${rawFile}); the other cases of ${reportFile} would be left empty. Run ${kind} once first, or write this run elsewhere with --out FILE.`,
    );
  }
}

async function main() {
  checkEarlierResults();
  if (args.check) return;
  if (args.report) return rerenderReport();
  const started = Date.now();
  results.machine = machine();
  results.settings = {
    quick: args.quick,
    sizes: SIZES,
    runs: RUNS,
    cases: ["1", "2", "3", "4", "5", "6"].filter((n) => wanted(n)),
  };
  log(`machine: ${results.machine.nproc} cores, node ${results.machine.node}; quick=${args.quick}`);
  if (wanted(1) || wanted(2)) await requestCases();
  await queryAndBulkCases();
  if (wanted(6)) results.cold = coldStart();
  results.durationS = (Date.now() - started) / 1000;
  results.machine.load.end = loadavg()[0];
  if ((args.only || args.skip.length) && existsSync(rawFile)) {
    // A partial run updates the cases it ran and keeps the others from the last run.
    const previous = JSON.parse(readFileSync(rawFile, "utf8"));
    results.settings.cases = previous.settings?.cases; // the report covers the earlier run's cases too
    const ranNow = new Set([...Object.keys(results.cases), ...results.errors.map((e) => e.caseKey)]);
    for (const [key, value] of Object.entries(previous.cases)) results.cases[key] ??= value;
    results.cold ??= previous.cold;
    results.csv ??= previous.csv;
    results.errors.push(...previous.errors.filter((e) => !ranNow.has(e.caseKey)));
    results.notes.push(
      `cases ${args.only?.join(", ") ?? "all but " + args.skip.join(", ")} rerun at ${results.machine.date}; the others from ${previous.machine.date}`,
    );
    results.notes.push(...(previous.notes ?? []));
  }
  const out = reportFile;
  writeFileSync(out, renderReport(results));
  // a run written elsewhere (--out) leaves the results that partial runs build on alone
  if (!args.out) {
    mkdirSync(join(benchDir, "results"), { recursive: true });
    writeFileSync(rawFile, `${JSON.stringify(results, null, 2)}\n`);
  }
  for (const t of evaluateTargets(results)) console.log(`${t.verdict.padEnd(12)} ${t.name}: ${t.measured}`);
  log(`wrote ${out} in ${results.durationS.toFixed(0)} s`);
  if (results.errors.length) log(`${results.errors.length} measurement(s) failed; see the report`);
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error?.stack ?? error);
  process.exit(1);
});
