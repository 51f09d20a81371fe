// Compatibility: jsforce 3.10.16, unchanged, against the emulator.
import jsforce from "jsforce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";

let org: Org;
beforeAll(async () => {
  org = await startEmulator();
  for (let i = 0; i < 2300; i++)
    org.store.insert("Lead", { LastName: `Lead${String(i).padStart(4, "0")}`, Company: "Bulk Co" });
});
afterAll(async () => {
  await org.close();
});

describe("jsforce 3.10.16", () => {
  it("logs in by SOAP and does CRUD", async () => {
    const conn = new jsforce.Connection({ loginUrl: org.loginUrl, version: "64.0" });
    const u = org.users[1]!; // the password has XML special characters
    const info = await conn.login(u.username, u.password + u.securityToken);
    expect(info.id).toBe(u.userId);
    expect(info.organizationId).toBe(org.organizationId);
    expect(conn.instanceUrl).toBe(org.url);
    const created = (await conn.sobject("Account").create({ Name: "jsforce Co" })) as any;
    expect(created.success).toBe(true);
    const rec = (await conn.sobject("Account").retrieve(created.id)) as any;
    expect(rec.Name).toBe("jsforce Co");
    const upd = (await conn.sobject("Account").update({ Id: created.id, Name: "jsforce Co 2" })) as any;
    expect(upd.success).toBe(true);
    const up = (await conn.sobject("Account").upsert({ Name: "Ext", Ext_Id__c: "JS-1" }, "Ext_Id__c")) as any;
    expect(up.success).toBe(true);
    const del = (await conn.sobject("Account").destroy(created.id)) as any;
    expect(del.success).toBe(true);
    const describe = await conn.sobject("Contact").describe();
    expect(describe.fields.some((f) => f.name === "LastName")).toBe(true);
    await conn.logout();
  });

  it("logs in with the OAuth password grant and autoFetches a paged query", async () => {
    const app = org.connectedApps[0]!;
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: org.loginUrl, clientId: app.consumerKey, clientSecret: app.consumerSecret },
      version: "64.0",
    });
    const u = org.users[0]!;
    await conn.login(u.username, u.password + u.securityToken);
    expect(conn.instanceUrl).toBe(org.url);
    const records: any[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query("SELECT Id, LastName FROM Lead ORDER BY LastName")
        .on("record", (r: any) => records.push(r))
        .on("end", () => resolve())
        .on("error", reject)
        .run({ autoFetch: true, maxFetch: 2100 });
    });
    expect(records).toHaveLength(2100);
    expect(records[2099].LastName).toBe("Lead2099");
    const all = await conn.query("SELECT COUNT() FROM Lead");
    expect(all.totalSize).toBe(2300);
  });
});
