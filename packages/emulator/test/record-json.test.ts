// GET /sobjects/{T}/{id} writes the stored row straight to JSON (fullRecordJson); it must give
// the same bytes as rendering the record object and serialising it (toJson(renderFullRecord)).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toJson } from "../src/json.js";
import { type Org, startEmulator } from "../src/index.js";
import { fullRecordJson, renderFullRecord } from "../src/soql/render.js";
import { adminToken, call } from "./helpers.js";

const DREAMHOUSE = join(import.meta.dirname, "fixtures", "dreamhouse");
let org: Org;
let token: string;
beforeAll(async () => {
  org = await startEmulator({ project: join(DREAMHOUSE, "force-app"), seed: "demo" });
  token = await adminToken(org);
});
afterAll(async () => {
  await org.close();
});

describe("record JSON", () => {
  it("matches toJson(renderFullRecord) for every stored row of every object", () => {
    org.insert("Account", {
      Name: 'Quote " and \\ backslash \u0001x\u0001',
      BillingLatitude: 42,
      BillingLongitude: -71.05,
      BillingCity: "Boston",
      AnnualRevenue: 1e7,
      NumberOfEmployees: 12,
    });
    let compared = 0;
    for (const def of org.schema.list()) {
      for (const rec of org.store.rows(def)) {
        for (const version of ["62.0", "64.0"]) {
          expect(fullRecordJson(def, rec, version)).toBe(toJson(renderFullRecord(def, rec, version)));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it("serves the same body over REST", async () => {
    const id = org.insert("Account", { Name: "Json Co", AnnualRevenue: 2500000.5, BillingLatitude: 1 });
    const r = await call(org, `/services/data/v64.0/sobjects/Account/${id}`, { token });
    expect(r.status).toBe(200);
    expect(r.text).toBe(toJson(renderFullRecord(org.schema.get("Account")!, org.store.get(id)!, "64.0")));
    expect(r.text).toContain('"AnnualRevenue":2500001.0');
  });
});
