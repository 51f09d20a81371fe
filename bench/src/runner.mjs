// One measurement in a fresh process: `node runner.mjs '<json>'`. It prints one JSON line
// with wall time, CPU time, sockets opened and the peak RSS of this process (the kernel's
// high-water mark, so a fresh process per measurement gives each case its own peak).
import dc from "node:diagnostics_channel";
import { performance } from "node:perf_hooks";
import { CLIENTS } from "./clients.mjs";
import { peakRssMb } from "./util.mjs";

let sockets = 0;
dc.subscribe("net.client.socket", () => {
  sockets++;
});

const spec = JSON.parse(process.argv[2]);
const make = CLIENTS[spec.client];
if (!make) throw new Error(`unknown client ${spec.client}`);

const record = (i) => ({
  Name: `Bench ${spec.client} ${i}`,
  Phone: "+1 415 555 0100",
  Website: "https://example.com",
  NumberOfEmployees: i % 1000,
});

/**
 * Runs `task(0)` … `task(warmup + count - 1)`, `concurrency` at a time, as one loop, and calls
 * `startClock` as task `warmup` starts: the timed requests follow the warm-up without a break.
 * (Two loops, a warm-up and then a timed one, put a burst of V8 deoptimizing and recompiling
 * the request path into the timed window, whatever the warm-up's length: bench/FINDINGS.md,
 * item 18.)
 */
async function pool(warmup, count, concurrency, task, startClock) {
  let next = 0;
  const end = warmup + count;
  const worker = async () => {
    while (next < end) {
      const i = next++;
      if (i === warmup) startClock();
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, end) }, worker));
}

async function main() {
  const client = await make(spec);
  const ids = spec.ids ?? [];
  let rssBefore = 0;
  let cpu0;
  let t0 = 0;
  const startClock = () => {
    rssBefore = process.memoryUsage.rss() / 1024 / 1024;
    cpu0 = process.cpuUsage();
    t0 = performance.now();
  };
  /** Work that starts the clock itself, as it begins. */
  const timed = (run) => () => {
    startClock();
    return run();
  };
  let work;
  switch (spec.case) {
    case "get":
    case "create": {
      const task =
        spec.case === "get"
          ? (i) => client.get(spec.object, ids[i % ids.length])
          : (i) => client.create(spec.object, record(i));
      const concurrency = spec.case === "get" ? 1 : spec.concurrency;
      work = () => pool(spec.warmup ?? 8000, spec.n, concurrency, task, startClock); // clock after the warm-up
      break;
    }
    case "queryAll":
      work = timed(() => client.queryAll(spec.soql));
      break;
    case "queryIter":
      work = timed(() => client.queryIter(spec.soql));
      break;
    case "bulkIngest":
      work = timed(() => client.bulkIngest(spec.object, spec.file));
      break;
    case "bulkQuery":
      work = timed(() => client.bulkQueryToFile(spec.object, spec.soql, spec.file));
      break;
    default:
      throw new Error(`unknown case ${spec.case}`);
  }
  const output = await work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await client.close?.();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const result = {
    ms,
    cpuMs,
    rssBeforeMb: rssBefore,
    peakRssMb: peakRssMb(),
    sockets,
    output:
      typeof output === "object" && output !== null && !Array.isArray(output) ? output : { count: output },
  };
  if (spec.n) {
    result.rps = (spec.n / ms) * 1000;
    result.cpuUsPerRequest = (cpuMs * 1000) / spec.n;
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error?.stack ?? error);
    process.exit(1);
  },
);
