#!/usr/bin/env node
// The sfkit demo: `npm run demo` (or `node examples/demo/src/main.mjs [--rows N] [--write]`).
//
// With no credentials it starts the local emulator with the DreamHouse custom objects (read from
// their source-format metadata), logs in by SOAP as a seeded user, loads the DreamHouse sample
// data by its import plan, queries it, writes, bulk-loads a generated CSV, reads it back, calls
// an Apex REST route and prints the API usage.
//
// Given a real org in the environment (SF_USERNAME / SF_PASSWORD / SF_SECURITY_TOKEN / SF_DOMAIN,
// or SF_INSTANCE_URL / SF_ACCESS_TOKEN) it runs only the read-only part there; writes need --write.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { recordCount } from "@sfkit-example/plugin-record-count";
import { startEmulator } from "@sfkit/emulator";
import { Salesforce } from "@sfkit/salesforce";
import { BULK_TAG, writeContactsCsv } from "./csv.mjs";
import { loadPlan, readPlan } from "./dreamhouse.mjs";
import { bar, createUi, formatMs, formatNumber, timed } from "./ui.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const DREAMHOUSE = join(here, "..", "dreamhouse");

const USAGE = `usage: node examples/demo/src/main.mjs [--rows N] [--write] [--help]

  --rows N   rows in the generated Bulk 2.0 CSV (default 100000)
  --write    against a real org: also create, update and delete one Contact (never without it)

Environment (optional, for a real org; read-only unless --write):
  SF_USERNAME, SF_PASSWORD, SF_SECURITY_TOKEN, SF_DOMAIN (login | test | <mydomain>.my)
  or SF_INSTANCE_URL and SF_ACCESS_TOKEN`;

/** Reads the command line. */
export function parseArgs(argv) {
  const options = { rows: 100_000, write: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--write") options.write = true;
    else if (arg === "--help" || arg === "-h") options.help = true;
    else if (arg === "--rows" || arg.startsWith("--rows=")) {
      const value = arg.includes("=") ? arg.slice(7) : argv[++i];
      const rows = Number(value);
      if (!Number.isInteger(rows) || rows < 1)
        throw new UsageError(`--rows needs a positive whole number, not ${value}`);
      options.rows = rows;
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  return options;
}

class UsageError extends Error {}

/** The real org's login options from the environment, or undefined for the emulator. */
export function orgFromEnv(env) {
  if (env.SF_INSTANCE_URL && env.SF_ACCESS_TOKEN) {
    return {
      label: env.SF_INSTANCE_URL,
      options: { instanceUrl: env.SF_INSTANCE_URL, sessionId: env.SF_ACCESS_TOKEN },
    };
  }
  if (env.SF_USERNAME && env.SF_PASSWORD) {
    return {
      label: `${env.SF_USERNAME} @ ${env.SF_DOMAIN || "login"}`,
      options: {
        username: env.SF_USERNAME,
        password: env.SF_PASSWORD,
        ...(env.SF_SECURITY_TOKEN ? { securityToken: env.SF_SECURITY_TOKEN } : {}),
        ...(env.SF_DOMAIN ? { domain: env.SF_DOMAIN } : {}),
      },
    };
  }
  return undefined;
}

/**
 * Runs the demo. Returns a summary of what happened (the test asserts on it).
 * @param {{ argv?: string[], env?: Record<string, string | undefined>, out?: NodeJS.WritableStream, rows?: number, color?: boolean }} [input]
 */
export async function main(input = {}) {
  const out = input.out ?? process.stdout;
  const ui = createUi(out, { color: input.color });
  const args = parseArgs(input.argv ?? []);
  if (input.rows !== undefined) args.rows = input.rows;
  if (args.help) {
    ui.line(USAGE);
    return { mode: "help" };
  }
  const env = input.env ?? process.env;
  const real = orgFromEnv(env);
  const started = performance.now();
  const summary = real ? await realOrg(ui, real, args) : await emulated(ui, args);
  ui.line();
  ui.line(ui.bold(`Done in ${formatMs(performance.now() - started)}.`));
  return summary;
}

// ---------------------------------------------------------------------------- the emulator run

async function emulated(ui, args) {
  const summary = { mode: "emulator" };
  ui.title("sfkit demo: DreamHouse on the local Salesforce emulator");
  ui.note("No org needed: everything below runs over HTTP against @sfkit/emulator on loopback.");

  ui.section(1, "Start the emulator with the DreamHouse custom objects");
  const [org, startMs] = await timed(() =>
    startEmulator({ port: 0, project: join(DREAMHOUSE, "force-app") }),
  );
  const work = await mkdtemp(join(tmpdir(), "sfkit-demo-"));
  let sf;
  try {
    ui.ok(`listening on ${org.url}`, startMs);
    ui.note(
      `custom objects read from ${join("examples", "demo", "dreamhouse", "force-app")} (source format)`,
    );

    ui.section(2, "Log in by SOAP as a seeded user");
    const user = org.users[0];
    sf = new Salesforce({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
      clientId: "sfkit-demo",
      bulk: { pollInterval: 200, maxPollInterval: 1000 },
    });
    const [, loginMs] = await timed(() => sf.login());
    ui.ok(`logged in as ${user.username}`, loginMs);
    ui.facts([
      ["auth type", sf.authType],
      ["instance", sf.sfInstance],
      ["API version", sf.sfVersion],
      ["REST base", sf.baseUrl],
      ["session id", `${"•".repeat(12)} (${sf.sessionId.length} characters, never printed)`],
    ]);
    summary.login = { username: user.username, authType: sf.authType };

    ui.section(3, "Describe the DreamHouse objects");
    const described = [];
    for (const name of ["Broker__c", "Property__c"]) {
      const describe = await sf[name].describe();
      const custom = describe.fields.filter((f) => f.custom);
      described.push({
        object: name,
        label: describe.label,
        fields: describe.fields.length,
        custom: custom.length,
        lookups: custom
          .filter((f) => f.type === "reference")
          .map((f) => `${f.name} → ${f.referenceTo.join(",")} (${f.relationshipName})`)
          .join("; "),
      });
    }
    ui.table(described);
    summary.described = described.map((d) => d.object);

    ui.section(4, "Load the DreamHouse sample data by its import plan");
    const steps = await readPlan(join(DREAMHOUSE, "data"));
    ui.note(
      `plan: ${steps.map((s) => `${s.sobject}${s.saveRefs ? " (saves refs)" : s.resolveRefs ? " (resolves refs)" : ""}`).join(" → ")}`,
    );
    const { report } = await loadPlan(sf, steps);
    ui.table(
      report.map((r) => ({ ...r, ms: formatMs(r.ms) })),
      ["object", "records", "requests", "refs", "ms"],
    );
    summary.loaded = Object.fromEntries(report.map((r) => [r.object, r.records]));

    ui.section(5, "Relationship queries");
    const [available, availableMs] = await timed(() =>
      sf.query(
        "SELECT Name, City__c, Price__c, Beds__c, Broker__r.Name FROM Property__c WHERE Status__c = 'Available' ORDER BY Price__c DESC",
      ),
    );
    ui.ok(`child → parent: ${available.totalSize} available properties with their broker`, availableMs);
    ui.table(
      available.records.map((p) => ({
        property: p.Name,
        city: p.City__c,
        price: p.Price__c,
        beds: p.Beds__c,
        broker: p.Broker__r?.Name,
      })),
    );
    const [brokers, brokersMs] = await timed(() =>
      sf.queryAll(
        "SELECT Name, Title__c, (SELECT Name, Price__c FROM Properties__r) FROM Broker__c ORDER BY Name",
      ),
    );
    ui.ok(`parent → child: ${brokers.totalSize} brokers with their listings`, brokersMs);
    ui.table(
      brokers.records.map((b) => {
        const listings = b.Properties__r?.records ?? [];
        return {
          broker: b.Name,
          title: b.Title__c,
          listings: listings.length,
          "total price": listings.reduce((sum, p) => sum + (p.Price__c ?? 0), 0),
        };
      }),
    );
    summary.queries = {
      available: available.totalSize,
      brokers: brokers.totalSize,
      listings: brokers.records.reduce((n, b) => n + (b.Properties__r?.records?.length ?? 0), 0),
    };

    ui.section(6, "Create, update, upsert, delete");
    summary.crud = await crud(ui, sf, { dreamhouse: true });

    ui.section(7, `Bulk API 2.0: load ${formatNumber(args.rows)} generated Contacts from a CSV file`);
    const file = join(work, "contacts.csv");
    const [bytes, csvMs] = await timed(() => writeContactsCsv(file, args.rows, Date.now().toString(36)));
    ui.ok(`wrote ${formatNumber(args.rows)} rows (${(bytes / 1e6).toFixed(1)} MB) to ${file}`, csvMs);
    let uploaded = 0;
    let processed = 0;
    let lastState = "";
    const [ingest, ingestMs] = await timed(() =>
      sf.bulk2.Contact.insert({
        file,
        results: "failed",
        onProgress: (event) => {
          if (event.type === "uploaded") uploaded += event.rows;
          if (event.type === "state") processed = event.processed;
          const state =
            event.type === "state" ? event.state : event.type === "jobCreated" ? "Open" : lastState;
          const milestone = state !== lastState;
          lastState = state;
          const done = Math.max(uploaded === args.rows ? processed : uploaded, processed);
          ui.progress(
            `${bar(done, args.rows)}  ${state.padEnd(14)} ${formatNumber(done)}/${formatNumber(args.rows)} rows`,
            {
              milestone,
            },
          );
        },
      }),
    );
    const successful = ingest.jobs.reduce(
      (n, j) => n + (j.numberRecordsProcessed ?? 0) - (j.numberRecordsFailed ?? 0),
      0,
    );
    ui.ok(`${formatNumber(successful)} inserted, ${formatNumber(ingest.failed.length)} failed`, ingestMs);
    ui.table(
      ingest.jobs.map((j) => ({
        job: j.id,
        state: j.state,
        uploaded: j.rowsUploaded,
        processed: j.numberRecordsProcessed ?? 0,
        failed: j.numberRecordsFailed ?? 0,
      })),
    );
    ui.note(`${formatNumber(Math.round(successful / (ingestMs / 1000)))} rows/s`);
    summary.bulk = { rows: args.rows, successful, failed: ingest.failed.length, jobs: ingest.jobs.length };

    ui.section(8, "Read them back with queryIter (page by page, flat memory)");
    let count = 0;
    let withComma = 0;
    const sample = [];
    const [, iterMs] = await timed(async () => {
      for await (const contact of sf.queryIter(
        `SELECT Id, FirstName, LastName, Email, Title FROM Contact WHERE Department = '${BULK_TAG}'`,
      )) {
        count += 1;
        if (contact.Title?.includes(",")) withComma += 1;
        if (sample.length < 3)
          sample.push({
            id: contact.Id,
            name: `${contact.FirstName} ${contact.LastName}`,
            email: contact.Email,
            title: contact.Title,
          });
        if (count % 2000 === 0 || count === args.rows) {
          ui.progress(`${bar(count, args.rows)}  ${formatNumber(count)} records read`, {
            milestone: count === args.rows,
          });
        }
      }
    });
    ui.ok(`${formatNumber(count)} records in ${Math.ceil(count / 2000)} pages of up to 2,000`, iterMs);
    ui.table(sample);
    ui.note(`${formatNumber(withComma)} titles held a comma and quotes and came back intact`);
    summary.readBack = count;
    summary.quotedTitles = withComma;

    ui.section(9, "Apex REST");
    const prices = steps.find((s) => s.sobject === "Property__c").records.map((p) => p.Price__c);
    const favorites = [];
    org.apex.route("GET", "/DreamHouse/stats", () => ({
      properties: prices.length,
      averagePrice: Math.round(prices.reduce((a, b) => a + b, 0) / prices.length),
      highestPrice: Math.max(...prices),
    }));
    org.apex.route("POST", "/DreamHouse/favorites", (request) => {
      favorites.push(request.body?.propertyName);
      return { status: 201, body: { saved: request.body?.propertyName, favorites: favorites.length } };
    });
    const [stats, statsMs] = await timed(() => sf.apexecute("DreamHouse/stats"));
    ui.ok(`GET /services/apexrest/DreamHouse/stats → ${JSON.stringify(stats)}`, statsMs);
    const [saved, savedMs] = await timed(() =>
      sf.apexecute("DreamHouse/favorites", {
        method: "POST",
        data: { propertyName: available.records[0]?.Name },
      }),
    );
    ui.ok(`POST /services/apexrest/DreamHouse/favorites → ${JSON.stringify(saved)}`, savedMs);
    summary.apex = { stats, saved };

    ui.section(10, "Record counts and API usage");
    summary.apiUsage = await usage(ui, sf, ["Broker__c", "Property__c", "Contact"]);
    return summary;
  } finally {
    await sf?.close();
    await org.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Create, update, upsert by external id, get and delete; one table of what came back. */
async function crud(ui, sf, { dreamhouse }) {
  const rows = [];
  const step = async (operation, call, show) => {
    const [result, ms] = await timed(call);
    rows.push({ operation, result: show(result), time: formatMs(ms) });
    return result;
  };
  const created = await step(
    "Contact.create",
    () =>
      sf.Contact.create({
        FirstName: "Demo",
        LastName: "Contact (sfkit demo)",
        Email: "demo@example.com",
      }),
    (r) => `id ${r.id}`,
  );
  await step(
    "Contact.update",
    () => sf.Contact.update(created.id, { Title: "Buyer" }),
    (status) => `HTTP ${status}`,
  );
  const fetched = await step(
    "Contact.get",
    () => sf.Contact.get(created.id, { fields: ["Id", "Name", "Title"] }),
    (r) => `${r.Name}, ${r.Title}`,
  );
  let upserts = [];
  if (dreamhouse) {
    const path = ["Broker_Id__c", "9001"];
    const first = await step(
      "Broker__c.upsert (new)",
      () => sf.Broker__c.upsert(path, { Name: "Dana Demo", Title__c: "Broker" }),
      (status) => `HTTP ${status} (created)`,
    );
    const second = await step(
      "Broker__c.upsert (again)",
      () => sf.Broker__c.upsert(path, { Title__c: "Senior Broker" }),
      (status) => `HTTP ${status} (updated)`,
    );
    upserts = [first, second];
  }
  const deleted = await step(
    "Contact.delete",
    () => sf.Contact.delete(created.id),
    (status) => `HTTP ${status}`,
  );
  ui.table(rows, ["operation", "result", "time"]);
  return { createdId: created.id, title: fetched.Title, upserts, deleted };
}

async function usage(ui, sf, objects) {
  // A custom plugin on the preset: examples/plugin-record-count adds sf.recordCount().
  const counts = await sf.extend(recordCount()).recordCount(objects);
  ui.note("Record counts (GET limits/recordCount, through the example plugin recordCount()):");
  ui.table(Object.entries(counts).map(([object, records]) => ({ object, records })));
  const limits = await sf.limits();
  const usage = sf.apiUsage;
  const daily = limits.DailyApiRequests;
  ui.facts([
    [
      "Sforce-Limit-Info",
      usage ? `${formatNumber(usage.used)} of ${formatNumber(usage.limit)} API requests used today` : "n/a",
    ],
    [
      "limits()",
      daily
        ? `DailyApiRequests: ${formatNumber(daily.Remaining)} of ${formatNumber(daily.Max)} remaining`
        : "n/a",
    ],
  ]);
  return { ...usage, counts };
}

// ---------------------------------------------------------------------------- a real org

async function realOrg(ui, real, args) {
  const summary = { mode: "org", write: args.write };
  ui.title(`sfkit demo against ${real.label}${args.write ? "" : " (read-only)"}`);
  const sf = new Salesforce({ ...real.options, clientId: "sfkit-demo" });
  try {
    ui.section(1, "Log in");
    const [, loginMs] = await timed(() => sf.login());
    ui.ok(`logged in (${sf.authType})`, loginMs);
    ui.facts([
      ["instance", sf.sfInstance],
      ["API version", sf.sfVersion],
    ]);

    ui.section(2, "The org");
    const [orgInfo] = (await sf.query("SELECT Name, OrganizationType, IsSandbox FROM Organization LIMIT 1"))
      .records;
    const global = await sf.describe();
    ui.facts([
      ["name", orgInfo?.Name],
      ["edition", orgInfo?.OrganizationType],
      ["sandbox", String(orgInfo?.IsSandbox)],
      ["sObjects", `${global.sobjects.length} (${global.sobjects.filter((s) => s.custom).length} custom)`],
    ]);
    summary.sobjects = global.sobjects.length;

    ui.section(3, "Relationship queries");
    const accounts = await sf.query(
      "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName LIMIT 3) FROM Account ORDER BY CreatedDate DESC LIMIT 5",
    );
    ui.table(
      accounts.records.map((a) => ({
        account: a.Name,
        contacts: (a.Contacts?.records ?? []).map((c) => c.LastName).join(", "),
      })),
      ["account", "contacts"],
    );
    if (global.sobjects.some((s) => s.name === "Property__c")) {
      const properties = await sf.query(
        "SELECT Name, Price__c, Broker__r.Name FROM Property__c ORDER BY Price__c DESC LIMIT 5",
      );
      ui.note("DreamHouse is installed:");
      ui.table(
        properties.records.map((p) => ({ property: p.Name, price: p.Price__c, broker: p.Broker__r?.Name })),
      );
    }

    ui.section(4, "queryIter");
    let count = 0;
    const [, iterMs] = await timed(async () => {
      for await (const _ of sf.queryIter(`SELECT Id FROM Contact LIMIT ${Math.min(args.rows, 50_000)}`))
        count += 1;
    });
    ui.ok(`${formatNumber(count)} Contact ids read`, iterMs);
    summary.readBack = count;

    if (args.write) {
      ui.section(5, "Create, update, delete one Contact (--write)");
      summary.crud = await crud(ui, sf, { dreamhouse: false });
    } else {
      ui.section(5, "Writes skipped");
      ui.note("Nothing was written. Run with --write to create, update and delete one Contact.");
    }

    ui.section(6, "Record counts and API usage");
    summary.apiUsage = await usage(ui, sf, ["Account", "Contact", "Opportunity", "Case"]);
    return summary;
  } finally {
    await sf.close();
  }
}

// ---------------------------------------------------------------------------- command line

const invoked = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invoked) {
  main({ argv: process.argv.slice(2) }).then(
    () => {
      process.exitCode = 0;
    },
    (error) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n\n${USAGE}`);
        process.exitCode = 2;
        return;
      }
      console.error(`\n✖ The demo failed: ${error?.name ?? "Error"}: ${error?.message ?? error}`);
      if (error?.code) console.error(`  code: ${error.code}`);
      process.exitCode = 1;
    },
  );
}
