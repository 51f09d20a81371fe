import { type AuthStrategy, createClient, createSession } from "@sfkit/core";
import {
  type BulkControl,
  type BulkEmulatorOptions,
  bulkOf,
  type Emulator,
  startEmulator,
} from "@sfkit/emulator";
import { bulk } from "../src/index.js";

export type Org = Emulator;

/** The emulator's bulk controls (pause/resume, pace, jobs). */
export async function bulkControl(org: Org): Promise<BulkControl> {
  return bulkOf(org);
}

/** An emulator with quick bulk processing, and a custom object with an external id. */
export async function startOrg(bulkOptions: BulkEmulatorOptions = {}): Promise<Org> {
  return startEmulator({
    port: 0,
    schema: [
      {
        name: "Widget__c",
        fields: [
          { name: "Ext__c", type: "string", externalId: true, unique: true, length: 80 },
          { name: "Size__c", type: "double", precision: 18, scale: 2 },
          { name: "Notes__c", type: "textarea", length: 4000 },
          { name: "Thing__c", type: "reference", referenceTo: "Thing__c", relationshipName: "Thing__r" },
          { name: "Due__c", type: "date" },
          { name: "Seen__c", type: "datetime" },
          { name: "Active__c", type: "boolean" },
        ],
      },
      { name: "Thing__c", fields: [{ name: "Code__c", type: "string", externalId: true, length: 40 }] },
    ],
    bulk: { processingDelayMs: 2, ...bulkOptions },
  });
}

/** A client logged in as the org's admin through a fixed session. */
export function clientFor(org: Org, options: Parameters<typeof bulk>[0] = {}) {
  const user = org.users[0]!;
  const session = org.sessions.create(user);
  return createClient({ instanceUrl: org.url, sessionId: session.token }).extend(
    bulk({ pollInterval: 5, maxPollInterval: 50, ...options }),
  );
}

/**
 * A client whose strategy can log in again (a new emulator session each time), so that
 * an expired session goes through core's refresh rule.
 */
export function refreshingClientFor(
  org: Org,
  options: Parameters<typeof bulk>[0] = {},
  log: (line: string) => void = () => {},
) {
  const user = org.users[0]!;
  let logins = 0;
  const login = async () => {
    logins++;
    const s = org.sessions.create(user);
    return createSession({ accessToken: s.token, instanceUrl: org.url });
  };
  const auth: AuthStrategy = { kind: "test", login, refresh: login };
  const logger = {
    debug: (m: string, d?: unknown) => log(`${m} ${JSON.stringify(d ?? "")}`),
    info: (m: string, d?: unknown) => log(`${m} ${JSON.stringify(d ?? "")}`),
    warn: (m: string, d?: unknown) => log(`${m} ${JSON.stringify(d ?? "")}`),
    error: (m: string, d?: unknown) => log(`${m} ${JSON.stringify(d ?? "")}`),
  };
  const client = createClient({ auth, logger }).extend(
    bulk({ pollInterval: 5, maxPollInterval: 50, ...options }),
  );
  return { client, logins: () => logins };
}
