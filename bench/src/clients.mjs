// The clients under test, each behind the same small interface so that every case runs
// the same requests through each: bare transports (the limits), sfkit with each
// transport, and jsforce.
import { createReadStream, createWriteStream } from "node:fs";
import http from "node:http";
import { once } from "node:events";

export const CLIENTS = {
  "raw node:http": rawHttp,
  "bare node-fetch": bareNodeFetch,
  "bare undici Pool": bareUndici,
  "sfkit (node-fetch)": (o) => sfkit(o, "node-fetch"),
  "sfkit (undici)": (o) => sfkit(o, "undici"),
  "jsforce 3.10.16": jsforce,
};

/** The bare transport each sfkit transport is compared with. */
export const BARE_OF = {
  "sfkit (node-fetch)": "bare node-fetch",
  "sfkit (undici)": "bare undici Pool",
};

const recordPath = (v, object, id) => `/services/data/v${v}/sobjects/${object}/${id}`;
const createPath = (v, object) => `/services/data/v${v}/sobjects/${object}`;

function headersFor(token, body) {
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
  if (body) headers["content-type"] = "application/json";
  return headers;
}

function check(status, text, what) {
  if (status >= 300) throw new Error(`${what} → ${status}: ${String(text).slice(0, 300)}`);
}

/** node:http with a keep-alive agent; the floor every other client is built on. */
async function rawHttp({ url, token, apiVersion }) {
  const origin = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const send = (method, path, payload) =>
    new Promise((resolve, reject) => {
      const body = payload === undefined ? undefined : JSON.stringify(payload);
      const req = http.request(
        { host: origin.hostname, port: origin.port, method, path, agent, headers: headersFor(token, body) },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              check(res.statusCode, text, `${method} ${path}`);
              resolve(JSON.parse(text));
            } catch (error) {
              reject(error);
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  return {
    get: (object, id) => send("GET", recordPath(apiVersion, object, id)),
    create: (object, record) => send("POST", createPath(apiVersion, object), record),
    close: async () => agent.destroy(),
  };
}

/** node-fetch 3 with the same keep-alive agent settings as sfkit's default transport. */
async function bareNodeFetch({ url, token, apiVersion }) {
  const { default: fetch } = await import("node-fetch");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const send = async (method, path, payload) => {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const res = await fetch(url + path, {
      method,
      headers: headersFor(token, body),
      body,
      agent,
      compress: false,
    });
    const text = await res.text();
    check(res.status, text, `${method} ${path}`);
    return JSON.parse(text);
  };
  return {
    get: (object, id) => send("GET", recordPath(apiVersion, object, id)),
    create: (object, record) => send("POST", createPath(apiVersion, object), record),
    close: async () => agent.destroy(),
  };
}

/** undici's Pool.request with keep-alive (undici's default). */
async function bareUndici({ url, token, apiVersion }) {
  const { Pool } = await import("undici");
  const pool = new Pool(new URL(url).origin);
  const send = async (method, path, payload) => {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const res = await pool.request({ method, path, headers: headersFor(token, body), body });
    const text = await res.body.text();
    check(res.statusCode, text, `${method} ${path}`);
    return JSON.parse(text);
  };
  return {
    get: (object, id) => send("GET", recordPath(apiVersion, object, id)),
    create: (object, record) => send("POST", createPath(apiVersion, object), record),
    close: () => pool.close(),
  };
}

/** Writes one row of strings as a CSV line (quoted only when needed). */
function csvLine(values) {
  return `${values
    .map((v) => {
      const s = v === null || v === undefined ? "" : String(v);
      return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(",")}\n`;
}

/** Streams rows (objects) to a CSV file with back-pressure; resolves with the row count. */
async function rowsToFile(rows, file) {
  const out = createWriteStream(file);
  let count = 0;
  let columns;
  for await (const row of rows) {
    if (!columns) {
      columns = Object.keys(row).filter((k) => k !== "attributes");
      if (!out.write(csvLine(columns))) await once(out, "drain");
    }
    if (!out.write(csvLine(columns.map((c) => row[c])))) await once(out, "drain");
    count++;
  }
  out.end();
  await once(out, "finish");
  return count;
}

async function sfkit({ url, token, apiVersion }, transportName) {
  const { createClient } = await import("@sfkit/core");
  const { rest } = await import("@sfkit/rest");
  const options = { instanceUrl: url, sessionId: token, apiVersion };
  if (transportName === "undici") {
    const { undiciTransport } = await import("@sfkit/transport-undici");
    options.transport = undiciTransport();
  }
  let sf = createClient(options).extend(rest());
  const withBulk = async () => {
    if (!("bulk2" in sf)) {
      const { bulk } = await import("@sfkit/bulk");
      // The same polling schedule as jsforce's (every 250 ms): sfkit's default backs off to
      // save API calls, which would make it see the end of a job later, not work slower.
      sf = sf.extend(bulk({ pollInterval: 250, maxPollInterval: 250 }));
    }
    return sf;
  };
  return {
    get: (object, id) => sf.sobjects[object].get(id),
    create: (object, record) => sf.sobjects[object].create(record),
    queryAll: async (soql) => (await sf.queryAll(soql)).records.length,
    queryIter: async (soql) => {
      let n = 0;
      for await (const _ of sf.queryIter(soql)) n++;
      return n;
    },
    bulkIngest: async (object, file) => {
      const result = await (await withBulk()).bulk2[object].insert({
        file,
        results: "failed",
        pollTimeout: 3_600_000,
      });
      const processed = result.jobs.reduce((n, job) => n + (job.numberRecordsProcessed ?? 0), 0);
      const failed = result.jobs.reduce((n, job) => n + (job.numberRecordsFailed ?? 0), 0);
      return { rows: processed, failed, jobs: result.jobs.length };
    },
    bulkQueryToFile: async (object, soql, file) =>
      rowsToFile((await withBulk()).bulk2[object].query(soql, { pollTimeout: 3_600_000 }), file),
    close: () => sf.close(),
  };
}

async function jsforce({ url, token, apiVersion }) {
  const { default: jsforce } = await import("jsforce");
  const conn = new jsforce.Connection({ instanceUrl: url, accessToken: token, version: apiVersion });
  const poll = { pollInterval: 250, pollTimeout: 3_600_000 };
  return {
    get: (object, id) => conn.sobject(object).retrieve(id),
    create: async (object, record) => {
      const result = await conn.sobject(object).create(record);
      if (!result.success) throw new Error(JSON.stringify(result.errors));
      return result;
    },
    queryAll: async (soql) =>
      (await conn.query(soql).run({ autoFetch: true, maxFetch: 100_000_000 })).records.length,
    queryIter: async (soql) => {
      // jsforce's streaming form: a record stream over autoFetch'ed pages.
      let n = 0;
      const stream = conn.query(soql).autoFetch(true).maxFetch(100_000_000).stream("record");
      for await (const _ of stream) n++;
      return n;
    },
    bulkIngest: async (object, file) => {
      // The same work as sfkit's `results: "failed"`: upload, close, wait; no success rows read back.
      const job = conn.bulk2.createJob({ object, operation: "insert", lineEnding: "LF" });
      await job.open();
      await job.uploadData(createReadStream(file));
      await job.close();
      await job.poll(poll.pollInterval, poll.pollTimeout);
      const info = await job.check();
      return { rows: info.numberRecordsProcessed, failed: info.numberRecordsFailed, jobs: 1 };
    },
    bulkQueryToFile: async (_object, soql, file) => {
      const records = await conn.bulk2.query(soql, poll);
      return rowsToFile(records, file);
    },
    close: async () => {},
  };
}
