// Larger data and concurrent clients (correctness only; timings live in bench/).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call, q } from "./helpers.js";

const N = 12_000;
let org: Org;
let token: string;
beforeAll(async () => {
  org = await startEmulator();
  for (let i = 0; i < N; i++) {
    org.store.insert("Contact", {
      LastName: `L${String(i).padStart(5, "0")}`,
      Ext_Id__c: `E${i}`,
      Email: `u${i}@x.test`,
    });
  }
  token = await adminToken(org);
});
afterAll(async () => {
  await org.close();
});

describe("large data", () => {
  it("pages through every row with locators, each row exactly once", async () => {
    let r = await call(org, `/services/data/v64.0/query?q=${q("SELECT Id, LastName FROM Contact")}`, {
      token,
    });
    expect(r.json.totalSize).toBe(N);
    const seen = new Set<string>();
    for (;;) {
      for (const rec of r.json.records) seen.add(rec.Id);
      if (r.json.done) break;
      r = await call(org, r.json.nextRecordsUrl, { token });
      expect(r.status).toBe(200);
    }
    expect(seen.size).toBe(N);
  });

  it("answers indexed lookups and by-id reads in a large table", async () => {
    const one = await call(
      org,
      `/services/data/v64.0/query?q=${q("SELECT Id, LastName FROM Contact WHERE Ext_Id__c = 'e11999'")}`,
      { token },
    );
    expect(one.json.records.map((x: any) => x.LastName)).toEqual(["L11999"]);
    const id = one.json.records[0].Id;
    const many = await call(
      org,
      `/services/data/v64.0/query?q=${q(`SELECT LastName FROM Contact WHERE Id IN ('${id}', '${id.slice(0, 15)}') AND LastName != null`)}`,
      { token },
    );
    expect(many.json.totalSize).toBe(1);
    const byExt = await call(org, "/services/data/v64.0/sobjects/Contact/Ext_Id__c/E5", { token });
    expect(byExt.json.LastName).toBe("L00005");
  });

  it("serves concurrent clients", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? call(org, "/services/data/v64.0/sobjects/Contact/Ext_Id__c/E" + i, { token })
          : call(org, "/services/data/v64.0/sobjects/Account", {
              method: "POST",
              token,
              body: { Name: `C${i}` },
            }),
      ),
    );
    expect(results.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(org.store.count("Account")).toBe(20);
  });
});
