// sf.composite against the emulator: sObject Collections, composite, batch and tree.
import { soapLogin } from "@sfkit/auth-soap";
import { createClient } from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rest } from "../src/index.js";

let org: Emulator;
let sf: ReturnType<typeof connect>;

function connect() {
  const user = org.users[0]!;
  return createClient({
    auth: soapLogin({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    }),
  }).extend(rest());
}

beforeAll(async () => {
  org = await startEmulator({
    port: 0,
    schema: [
      {
        name: "Gadget__c",
        fields: [{ name: "Ext__c", type: "string", length: 80, externalId: true, unique: true }],
      },
    ],
  });
  sf = connect();
});
afterAll(async () => {
  await sf?.close();
  await org?.close();
});

const count = async (soql: string) => (await sf.query(soql)).totalSize;

describe("sObject Collections", () => {
  it("create: 450 records in chunks of 200, one result per record in order", async () => {
    const records = Array.from({ length: 450 }, (_, i) => ({ Name: `Bulk ${i}` }));
    const results = await sf.composite.create("Account", records);
    expect(results).toHaveLength(450);
    expect(results.every((r) => r.success && typeof r.id === "string")).toBe(true);
    const names = await sf.composite.retrieve("Account", [results[0]!.id!, results[449]!.id!], ["Name"]);
    expect(names.map((r) => r?.Name)).toEqual(["Bulk 0", "Bulk 449"]);
    expect(await count("SELECT COUNT() FROM Account WHERE Name LIKE 'Bulk %'")).toBe(450);
  });

  it("a failed record is a result with Salesforce's statusCode, the others are saved", async () => {
    const results = await sf.composite.create([
      { attributes: { type: "Contact" }, LastName: "Fine" },
      { attributes: { type: "Contact" }, FirstName: "No last name" },
    ]);
    expect(results[0]).toMatchObject({ success: true, errors: [] });
    expect(results[1]).toMatchObject({ success: false, id: null });
    expect(results[1]!.errors[0]!.statusCode).toBe("REQUIRED_FIELD_MISSING");
  });

  it("allOrNone rolls the request back and says why for every record", async () => {
    const results = await sf.composite.create(
      "Contact",
      [{ LastName: "Rolled1" }, { FirstName: "broken" }, { LastName: "Rolled2" }],
      { allOrNone: true },
    );
    expect(results.map((r) => r.success)).toEqual([false, false, false]);
    expect(results[0]!.errors[0]!.statusCode).toBe("ALL_OR_NONE_OPERATION_ROLLED_BACK");
    expect(results[1]!.errors[0]!.statusCode).toBe("REQUIRED_FIELD_MISSING");
    expect(await count("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Rolled%'")).toBe(0);
  });

  it("update, upsert (created true/false) and delete", async () => {
    const [a, b] = await sf.composite.create("Gadget__c", [
      { Name: "g1", Ext__c: "E1" },
      { Name: "g2", Ext__c: "E2" },
    ]);
    const updated = await sf.composite.update("Gadget__c", [
      { Id: a!.id!, Name: "g1b" },
      { Id: b!.id!, Name: "g2b" },
    ]);
    expect(updated.map((r) => r.success)).toEqual([true, true]);
    const upserted = await sf.composite.upsert("Gadget__c", "Ext__c", [
      { Ext__c: "E1", Name: "g1c" },
      { Ext__c: "E3", Name: "g3" },
    ]);
    expect(upserted.map((r) => [r.success, r.created])).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(upserted[0]!.id).toBe(a!.id);
    const deleted = await sf.composite.delete([a!.id!, b!.id!, upserted[1]!.id!]);
    expect(deleted.map((r) => r.success)).toEqual([true, true, true]);
    const again = await sf.composite.delete([a!.id!]);
    expect(again[0]).toMatchObject({ success: false, id: a!.id });
    expect(await sf.composite.retrieve("Gadget__c", [a!.id!], ["Name"])).toEqual([null]);
  });
});

describe("composite, batch and tree", () => {
  it("composite resolves @{ref} references between subrequests", async () => {
    const result = await sf.composite.execute([
      { method: "POST", url: "sobjects/Account", referenceId: "acct", body: { Name: "Composite Co" } },
      {
        method: "POST",
        url: "sobjects/Contact",
        referenceId: "person",
        body: { LastName: "Ref", AccountId: "@{acct.id}" },
      },
      {
        method: "GET",
        url: "query?q=SELECT+Id,AccountId+FROM+Contact+WHERE+LastName='Ref'",
        referenceId: "check",
      },
    ]);
    expect(result.hasErrors).toBe(false);
    expect(result.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200]);
    const accountId = (result.compositeResponse[0]!.body as { id: string }).id;
    expect(result.compositeResponse[0]!.httpHeaders.Location).toMatch(/\/sobjects\/Account\//);
    expect(
      (result.compositeResponse[2]!.body as { records: Array<{ AccountId: string }> }).records[0]!.AccountId,
    ).toBe(accountId);
  });

  it("composite allOrNone rolls back every subrequest and marks the others PROCESSING_HALTED", async () => {
    const result = await sf.composite.execute(
      [
        { method: "POST", url: "sobjects/Account", referenceId: "ok", body: { Name: "Halted Co" } },
        { method: "POST", url: "sobjects/Contact", referenceId: "bad", body: { FirstName: "x" } },
      ],
      { allOrNone: true },
    );
    expect(result.hasErrors).toBe(true);
    expect(result.compositeResponse[0]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: "PROCESSING_HALTED" }],
    });
    expect(result.compositeResponse[1]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: "REQUIRED_FIELD_MISSING" }],
    });
    expect(await count("SELECT COUNT() FROM Account WHERE Name = 'Halted Co'")).toBe(0);
  });

  it("batch runs independent subrequests; haltOnError stops after a failure", async () => {
    const { id } = await sf.sobjects.Account.create({ Name: "Batch Co" });
    const result = await sf.composite.batch([
      { method: "PATCH", url: `sobjects/Account/${id}`, richInput: { Name: "Batch Co 2" } },
      { method: "GET", url: `sobjects/Account/${id}?fields=Name` },
    ]);
    expect(result.hasErrors).toBe(false);
    expect(result.results.map((r) => r.statusCode)).toEqual([204, 200]);
    expect((result.results[1]!.result as { Name: string }).Name).toBe("Batch Co 2");
    const halted = await sf.composite.batch(
      [
        { method: "GET", url: "sobjects/Account/001000000000000AAA" },
        { method: "GET", url: "limits" },
      ],
      { haltOnError: true },
    );
    expect(halted.hasErrors).toBe(true);
    expect(halted.results.map((r) => r.statusCode)).toEqual([404, 412]);
  });

  it("tree creates parents and children with reference ids; a bad child rolls back the tree", async () => {
    const ok = await sf.composite.tree("Account", [
      {
        Name: "Tree Co",
        Contacts: {
          records: [
            { attributes: { type: "Contact" }, LastName: "Leaf1" },
            { attributes: { type: "Contact" }, LastName: "Leaf2" },
          ],
        },
      },
    ]);
    expect(ok.hasErrors).toBe(false);
    expect(ok.results.map((r) => r.referenceId)).toEqual(["ref1", "ref2", "ref3"]);
    const parent = ok.results[0]!.id!;
    const leaves = await sf.query(
      `SELECT LastName FROM Contact WHERE AccountId = '${parent}' ORDER BY LastName`,
    );
    expect(leaves.records.map((r) => r.LastName)).toEqual(["Leaf1", "Leaf2"]);

    const bad = await sf.composite.tree("Account", [
      {
        Name: "Broken Tree",
        Contacts: { records: [{ attributes: { type: "Contact", referenceId: "kid" }, FirstName: "x" }] },
      },
    ]);
    expect(bad.hasErrors).toBe(true);
    expect(bad.results).toEqual([
      { referenceId: "kid", errors: [expect.objectContaining({ statusCode: "REQUIRED_FIELD_MISSING" })] },
    ]);
    expect(await count("SELECT COUNT() FROM Account WHERE Name = 'Broken Tree'")).toBe(0);
  });
});
