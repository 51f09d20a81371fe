import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, type EmulatorOptions, startEmulator } from "@sfkit/emulator";
import { Salesforce, type SalesforceOptions } from "@sfkit/salesforce";

export const SCHEMA: NonNullable<EmulatorOptions["schema"]> = [
  // A non-unique external id, so that an upsert can match two records (300).
  { name: "Rel__c", fields: [{ name: "Code__c", type: "string", length: 80, externalId: true }] },
];

/** Per-attempt time-out of the matrix clients, and the fault delay that beats it. */
export const TIMEOUT_MS = 1000;
export const DELAY_MS = 2000;

export interface Env {
  org: Emulator;
  port: number;
  persist: string;
  /** Closes the emulator (state saved); the port stays known. */
  stop(): Promise<void>;
  /** Starts a new emulator on the same port, with the saved records. */
  start(): Promise<void>;
  /** A preset client: SOAP login unless told otherwise. */
  client(options?: Partial<SalesforceOptions> & { login?: "soap" | "oauth" }): Salesforce;
  close(): Promise<void>;
}

/** `clientDefaults` go into every client of this environment (a transport, for one). */
export async function startEnv(
  extra: EmulatorOptions = {},
  clientDefaults: Partial<SalesforceOptions> = {},
): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), "sfkit-reliability-"));
  const persist = join(dir, "org.json");
  const options: EmulatorOptions = {
    port: 0,
    schema: SCHEMA,
    persist,
    bulk: { processingDelayMs: 2 },
    ...extra,
  };
  const clients: Salesforce[] = [];
  const env: Env = {
    org: await startEmulator(options),
    port: 0,
    persist,
    async stop() {
      await env.org.close();
      await sleep(50); // the client sees its pooled sockets close, as it would when a server goes away
    },
    async start() {
      env.org = await startEmulator({ ...options, port: env.port });
      registerApex(env.org);
    },
    client(opts = {}) {
      const user = env.org.users[0]!;
      const app = env.org.connectedApps[0]!;
      const { login, ...rest } = opts;
      const credentials: Partial<SalesforceOptions> =
        login === "oauth"
          ? {
              username: user.username,
              password: user.password + user.securityToken,
              consumerKey: app.consumerKey,
              consumerSecret: app.consumerSecret,
            }
          : { username: user.username, password: user.password, securityToken: user.securityToken };
      const sf = new Salesforce({
        ...credentials,
        loginUrl: `http://127.0.0.1:${env.port}`,
        timeout: TIMEOUT_MS,
        retry: { limit: 2, backoff: 20, maxBackoff: 50 },
        bulk: { pollInterval: 10, maxPollInterval: 40 },
        rest: { queryBatchSize: 200 },
        ...clientDefaults,
        ...rest,
      } as SalesforceOptions);
      clients.push(sf);
      return sf;
    },
    async close() {
      for (const sf of clients) await sf.close().catch(() => undefined);
      await env.org.close().catch(() => undefined);
    },
  };
  env.port = Number(new URL(env.org.url).port);
  registerApex(env.org);
  return env;
}

/** Apex REST routes of the matrix: GET reads a Rel__c by code, POST creates one. */
export function registerApex(org: Emulator): void {
  org.apex.route("GET", "/Rel/*", (req) => {
    const row = [...org.store.rows("Rel__c")].find((r) => r.Code__c === req.wildcard);
    return row
      ? { Id: row.Id, Code__c: row.Code__c }
      : { status: 404, body: [{ errorCode: "NOT_FOUND", message: "no such code" }] };
  });
  org.apex.route("POST", "/Rel", (req) => {
    const body = req.body as { code: string };
    const id = org.insert("Rel__c", { Name: body.code, Code__c: body.code });
    return { id };
  });
}

/** Rel__c records holding this code. */
export function countCode(org: Emulator, code: string): number {
  return org.query(`SELECT COUNT() FROM Rel__c WHERE Code__c = '${code}'`).totalSize;
}

export function countContacts(org: Emulator, lastName: string): number {
  return org.query(`SELECT COUNT() FROM Contact WHERE LastName = '${lastName}'`).totalSize;
}

let seq = 0;
export const unique = (prefix: string) => `${prefix}${process.pid}x${++seq}x${Date.now() % 100000}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
