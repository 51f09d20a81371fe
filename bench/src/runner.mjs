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

async function pool(count, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

async function main() {
  const client = await make(spec);
  const ids = spec.ids ?? [];
  let work;
  let warm;
  switch (spec.case) {
    case "get":
      warm = () => pool(spec.warmup ?? 8000, 1, (i) => client.get(spec.object, ids[i % ids.length]));
      work = () => pool(spec.n, 1, (i) => client.get(spec.object, ids[i % ids.length]));
      break;
    case "create":
      warm = () => pool(spec.warmup ?? 8000, spec.concurrency, (i) => client.create(spec.object, record(-i)));
      work = () => pool(spec.n, spec.concurrency, (i) => client.create(spec.object, record(i)));
      break;
    case "queryAll":
      work = () => client.queryAll(spec.soql);
      break;
    case "queryIter":
      work = () => client.queryIter(spec.soql);
      break;
    case "bulkIngest":
      work = () => client.bulkIngest(spec.object, spec.file);
      break;
    case "bulkQuery":
      work = () => client.bulkQueryToFile(spec.object, spec.soql, spec.file);
      break;
    default:
      throw new Error(`unknown case ${spec.case}`);
  }
  if (warm) await warm();
  const rssBefore = process.memoryUsage.rss() / 1024 / 1024;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
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
