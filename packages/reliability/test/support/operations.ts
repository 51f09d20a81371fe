import { bulkOf } from "@sfkit/emulator";
import type { Salesforce } from "@sfkit/salesforce";
import type { OperationId } from "../../src/matrix.js";
import { countCode, countContacts, type Env, unique } from "./env.js";

type State = Record<string, unknown> & { marker: string };

export interface OperationImpl {
  /** Which request the fault hits. */
  target: { method: string; path: string | RegExp };
  login?: "soap" | "oauth";
  /** Runs before the fault is armed (with the client already logged in). */
  prepare?(env: Env, sf: Salesforce, state: State): Promise<void>;
  run(env: Env, sf: Salesforce, state: State): Promise<unknown>;
  /** After a success: the result is right. */
  verify(env: Env, state: State, result: unknown): Promise<void> | void;
  /** Records this operation wrote (write operations). */
  records?(env: Env, state: State): number;
  /** Bulk: rows sent. */
  rows?: number;
}

const BULK_ROWS = 5; // 4 good rows, 1 without LastName (a failed row)
const bulkRecords = (marker: string) => [
  ...Array.from({ length: BULK_ROWS - 1 }, (_, i) => ({ LastName: marker, FirstName: `R${i}` })),
  { FirstName: "NoLastName" },
];

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`verification failed: ${message}`);
}

/** Bulk results: every input row accounted for, nothing written twice. */
function verifyBulk2(env: Env, state: State, result: unknown) {
  const r = result as {
    successful: unknown[];
    failed: unknown[];
    unprocessed: unknown[];
    jobs: { id: string }[];
  };
  assert(
    r.successful.length + r.failed.length + r.unprocessed.length === BULK_ROWS,
    `bulk2 rows ${r.successful.length}+${r.failed.length}+${r.unprocessed.length} != ${BULK_ROWS}`,
  );
  assert(r.successful.length === BULK_ROWS - 1 && r.failed.length === 1, "4 successful, 1 failed");
  assert(
    countContacts(env.org, state.marker) === r.successful.length,
    "store holds exactly the successful rows",
  );
  assert(r.jobs.length >= 1 && r.jobs.every((j) => /^750/.test(j.id)), "job ids kept");
}

function verifyBulk1(env: Env, state: State, result: unknown) {
  const r = result as { success: boolean; id?: string | null }[];
  assert(r.length === BULK_ROWS, `bulk1 results ${r.length} != ${BULK_ROWS}`);
  const ok = r.filter((x) => x.success).length;
  assert(ok === BULK_ROWS - 1, `bulk1 successes ${ok}`);
  assert(countContacts(env.org, state.marker) === ok, "store holds exactly the successful rows");
}

export const OPERATION_IMPLS: Record<OperationId, OperationImpl> = {
  "login-soap": {
    target: { method: "POST", path: "/services/Soap/u/" },
    login: "soap",
    run: async (_env, sf) => sf.query("SELECT Id FROM Organization"),
    verify: (_e, _s, r) => assert((r as { totalSize: number }).totalSize === 1, "one Organization"),
  },
  "login-oauth": {
    target: { method: "POST", path: "/services/oauth2/token" },
    login: "oauth",
    run: async (_env, sf) => sf.query("SELECT Id FROM Organization"),
    verify: (_e, _s, r) => assert((r as { totalSize: number }).totalSize === 1, "one Organization"),
  },
  "crud-create": {
    target: { method: "POST", path: /\/sobjects\/Contact$/ },
    run: async (_env, sf, s) => sf.Contact.create({ LastName: s.marker }),
    verify: (env, s, r) => {
      assert((r as { success: boolean }).success, "created");
      assert(countContacts(env.org, s.marker) === 1, "exactly one record");
    },
    records: (env, s) => countContacts(env.org, s.marker),
  },
  "crud-read": {
    target: { method: "GET", path: /\/sobjects\/Contact\/003/ },
    prepare: async (env, _sf, s) => {
      s.id = env.org.insert("Contact", { LastName: s.marker });
    },
    run: async (_env, sf, s) => sf.Contact.get(s.id as string),
    verify: (_e, s, r) => assert((r as { LastName: string }).LastName === s.marker, "the record read"),
  },
  "crud-update": {
    target: { method: "PATCH", path: /\/sobjects\/Contact\/003/ },
    prepare: async (env, _sf, s) => {
      s.id = env.org.insert("Contact", { LastName: s.marker });
    },
    run: async (_env, sf, s) => sf.Contact.update(s.id as string, { FirstName: "Updated" }),
    verify: (env, s) =>
      assert(env.org.store.get(s.id as string)?.FirstName === "Updated", "the update landed"),
  },
  "crud-upsert": {
    target: { method: "PATCH", path: "/sobjects/Rel__c/Code__c/" },
    run: async (_env, sf, s) => sf.sobject("Rel__c").upsert(["Code__c", s.marker], { Name: "Upserted" }),
    verify: (env, s) => assert(countCode(env.org, s.marker) === 1, "exactly one record for the code"),
    records: (env, s) => countCode(env.org, s.marker),
  },
  "crud-delete": {
    target: { method: "DELETE", path: /\/sobjects\/Contact\/003/ },
    prepare: async (env, _sf, s) => {
      s.id = env.org.insert("Contact", { LastName: s.marker });
    },
    run: async (_env, sf, s) => sf.Contact.delete(s.id as string),
    verify: (env, s) => assert(countContacts(env.org, s.marker) === 0, "deleted"),
  },
  "query-paging": {
    target: { method: "GET", path: /\/query\/01g[^/]*-200$/ },
    prepare: async (env, _sf, s) => {
      for (let i = 0; i < 450; i++) env.org.insert("Contact", { LastName: s.marker, FirstName: `Q${i}` });
    },
    run: async (_env, sf, s) =>
      sf.queryAll(`SELECT Id, FirstName FROM Contact WHERE LastName = '${s.marker}'`),
    verify: (_e, _s, r) => {
      const records = (r as { records: { FirstName: string }[] }).records;
      assert(records.length === 450, `450 records, got ${records.length}`);
      assert(new Set(records.map((x) => x.FirstName)).size === 450, "no page twice");
    },
  },
  search: {
    target: { method: "GET", path: "/search" },
    prepare: async (env, _sf, s) => {
      env.org.insert("Contact", { LastName: s.marker });
    },
    run: async (_env, sf, s) =>
      sf.search(`FIND {${s.marker}} IN NAME FIELDS RETURNING Contact(Id, LastName)`),
    verify: (_e, s, r) => {
      const found = (r as { searchRecords: { LastName: string }[] }).searchRecords;
      assert(found.length === 1 && found[0]!.LastName === s.marker, "one hit");
    },
  },
  "apex-get": {
    target: { method: "GET", path: "/services/apexrest/Rel/" },
    prepare: async (env, _sf, s) => {
      env.org.insert("Rel__c", { Name: s.marker, Code__c: s.marker });
    },
    run: async (_env, sf, s) => sf.apex.get(`Rel/${s.marker}`),
    verify: (_e, s, r) => assert((r as { Code__c: string }).Code__c === s.marker, "the record"),
  },
  "apex-post": {
    target: { method: "POST", path: "/services/apexrest/Rel" },
    run: async (_env, sf, s) => sf.apex.post("Rel", { code: s.marker }),
    verify: (env, s) => assert(countCode(env.org, s.marker) === 1, "exactly one record"),
    records: (env, s) => countCode(env.org, s.marker),
  },
  "bulk2-upload": {
    target: { method: "PUT", path: /\/jobs\/ingest\/750\w+\/batches$/ },
    run: async (_env, sf, s) => sf.bulk2.Contact.insert({ records: bulkRecords(s.marker) }),
    verify: verifyBulk2,
    rows: BULK_ROWS,
  },
  "bulk2-poll": {
    target: { method: "GET", path: /\/jobs\/ingest\/750\w+$/ },
    run: async (_env, sf, s) => sf.bulk2.Contact.insert({ records: bulkRecords(s.marker) }),
    verify: verifyBulk2,
    rows: BULK_ROWS,
  },
  "bulk2-results": {
    target: { method: "GET", path: /\/jobs\/ingest\/750\w+\/successfulResults\/?$/ },
    run: async (_env, sf, s) => sf.bulk2.Contact.insert({ records: bulkRecords(s.marker) }),
    verify: verifyBulk2,
    rows: BULK_ROWS,
  },
  "bulk1-upload": {
    target: { method: "POST", path: /\/services\/async\/[\d.]+\/job\/750\w+\/batch$/ },
    run: async (_env, sf, s) => sf.bulk.Contact.insert(bulkRecords(s.marker)),
    verify: verifyBulk1,
    rows: BULK_ROWS,
  },
  "bulk1-poll": {
    target: { method: "GET", path: /\/services\/async\/[\d.]+\/job\/750\w+\/batch$/ },
    run: async (_env, sf, s) => sf.bulk.Contact.insert(bulkRecords(s.marker)),
    verify: verifyBulk1,
    rows: BULK_ROWS,
  },
  "bulk1-results": {
    target: { method: "GET", path: /\/services\/async\/[\d.]+\/job\/750\w+\/batch\/751\w+\/result$/ },
    run: async (_env, sf, s) => sf.bulk.Contact.insert(bulkRecords(s.marker)),
    verify: verifyBulk1,
    rows: BULK_ROWS,
  },
};

export const newState = (): State => ({ marker: unique("M") });
export { bulkOf };
