import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorOptionError, type Org, startEmulator } from "../src/index.js";
import { adminToken, call, q } from "./helpers.js";

const DREAMHOUSE = join(import.meta.dirname, "fixtures", "dreamhouse");
const v = "/services/data/v64.0";

describe("custom objects from a source-format project (DreamHouse)", () => {
  let org: Org;
  let token: string;
  beforeAll(async () => {
    org = await startEmulator({ project: join(DREAMHOUSE, "force-app") });
    token = await adminToken(org);
    // Load the sample data the way its plan says: brokers first (saving refs), then properties.
    const refs = new Map<string, string>();
    const load = (file: string) =>
      JSON.parse(readFileSync(join(DREAMHOUSE, "data", file), "utf8")).records as any[];
    for (const r of load("brokers-data.json")) {
      const { attributes, ...fields } = r;
      refs.set(attributes.referenceId, org.insert("Broker__c", fields));
    }
    for (const r of load("properties-data.json")) {
      const { attributes, ...fields } = r;
      if (typeof fields.Broker__c === "string") fields.Broker__c = refs.get(fields.Broker__c.slice(1));
      org.insert("Property__c", fields);
    }
  });
  afterAll(async () => {
    await org.close();
  });

  it("describes Broker__c and Property__c from the XML metadata", async () => {
    const d = (await call(org, `${v}/sobjects/Property__c/describe`, { token })).json;
    expect(d).toMatchObject({
      name: "Property__c",
      label: "Property",
      labelPlural: "Properties",
      custom: true,
    });
    expect(d.keyPrefix).toMatch(/^a\w\w$/);
    const f = (n: string) => d.fields.find((x: any) => x.name === n);
    expect(f("Name")).toMatchObject({ type: "string", label: "Property Name", nameField: true });
    expect(f("Broker__c")).toMatchObject({
      type: "reference",
      referenceTo: ["Broker__c"],
      relationshipName: "Broker__r",
      custom: true,
    });
    expect(f("Location__c")).toMatchObject({ type: "location", soapType: "urn:location" });
    expect(f("Location__Latitude__s")).toMatchObject({
      type: "double",
      compoundFieldName: "Location__c",
      scale: 7,
    });
    expect(f("Status__c")).toMatchObject({ type: "picklist", restrictedPicklist: true });
    expect(f("Status__c").picklistValues.map((p: any) => p.value)).toEqual([
      "Contracted",
      "Pre Market",
      "Available",
      "Under Agreement",
      "Closed",
    ]);
    expect(f("Price__c")).toMatchObject({ type: "currency", precision: 8, scale: 0 });
    expect(f("Description__c")).toMatchObject({ type: "textarea", length: 500 });
    expect(f("Picture_IMG__c")).toMatchObject({ calculated: true, createable: false });
    expect(f("Date_Listed__c")).toMatchObject({ type: "date" });
    const broker = (await call(org, `${v}/sobjects/Broker__c/describe`, { token })).json;
    expect(broker.childRelationships).toEqual([
      expect.objectContaining({
        childSObject: "Property__c",
        field: "Broker__c",
        relationshipName: "Properties__r",
      }),
    ]);
    expect(broker.fields.find((x: any) => x.name === "Email__c").type).toBe("email");
  });

  it("queries across the lookup both ways, with geolocation compounds", async () => {
    const r = await call(
      org,
      `${v}/query?q=${q("SELECT Name, Broker__r.Name, Location__c, Price__c FROM Property__c WHERE City__c = 'Cambridge' ORDER BY Price__c DESC LIMIT 1")}`,
      { token },
    );
    expect(r.status).toBe(200);
    const p = r.json.records[0];
    expect(p.Broker__r.Name).toEqual(expect.any(String));
    expect(p.Location__c).toEqual({ latitude: expect.any(Number), longitude: expect.any(Number) });
    const b = await call(
      org,
      `${v}/query?q=${q("SELECT Name, (SELECT Name FROM Properties__r) FROM Broker__c WHERE Name = 'Caroline Kingsley'")}`,
      { token },
    );
    expect(b.json.records[0].Properties__r.totalSize).toBeGreaterThan(0);
  });

  it("validates restricted picklists and required lookups", async () => {
    const bad = await call(org, `${v}/sobjects/Property__c`, {
      method: "POST",
      token,
      body: { Name: "X", Status__c: "Haunted" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json[0]).toEqual({
      message: "Status: bad value for restricted picklist field: Haunted",
      errorCode: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
      fields: ["Status__c"],
    });
    const wrongType = await call(org, `${v}/sobjects/Property__c`, {
      method: "POST",
      token,
      body: { Name: "X", Broker__c: org.users[0]!.userId },
    });
    expect(wrongType.json[0].errorCode).toBe("FIELD_INTEGRITY_EXCEPTION");
  });
});

describe("custom objects from the JSON schema option", () => {
  it("creates objects with auto-number names, master-detail cascade and external ids", async () => {
    const org = await startEmulator({
      schema: [
        {
          name: "Invoice__c",
          label: "Invoice",
          nameField: { type: "AutoNumber", label: "Invoice Number", displayFormat: "INV-{0000}" },
          fields: [
            {
              name: "Account__c",
              type: "reference",
              referenceTo: "Account",
              masterDetail: true,
              childRelationshipName: "Invoices__r",
            },
            { name: "Total__c", type: "currency", precision: 16, scale: 2 },
            { name: "Number__c", type: "string", length: 20, externalId: true, unique: true },
            { name: "Paid__c", type: "boolean" },
          ],
        },
      ],
    });
    try {
      const acc = org.insert("Account", { Name: "Payer" });
      const id = org.insert("Invoice__c", { Account__c: acc, Total__c: 10.456, Number__c: "N-1" });
      const res = org.query("SELECT Name, Total__c, Paid__c, Account__r.Name FROM Invoice__c");
      expect(res.render(res.rows[0], { version: "64.0" })).toMatchObject({
        Name: "INV-0001",
        Total__c: expect.objectContaining({ value: 10.46 }),
        Paid__c: false,
        Account__r: { Name: "Payer" },
      });
      expect(() => org.insert("Invoice__c", { Total__c: 1 })).toThrow(/REQUIRED_FIELD_MISSING/);
      expect(() => org.insert("Invoice__c", { Account__c: acc, Number__c: "n-1" })).toThrow(
        /DUPLICATE_VALUE/,
      );
      const children = org.query("SELECT (SELECT Name FROM Invoices__r) FROM Account");
      expect(JSON.stringify(children.render(children.rows[0], { version: "64.0" }))).toContain("INV-0001");
      org.store.delete("Account", acc);
      expect(org.store.get(id)!.IsDeleted).toBe(true);
    } finally {
      await org.close();
    }
  });
});

describe("schema and project paths", () => {
  it("a missing schema file or project folder is an EmulatorOptionError naming the path and option", async () => {
    const missing = join(DREAMHOUSE, "no-such-schema.json");
    const schema = await startEmulator({ port: 0, schema: missing }).catch((e: unknown) => e);
    expect(schema).toBeInstanceOf(EmulatorOptionError);
    expect(schema).toMatchObject({ code: "ERR_FILE_NOT_FOUND" });
    expect((schema as Error).message).toMatch(
      new RegExp(
        `^file not found: ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(from the emulator's schema option\\)`,
      ),
    );
    expect((schema as Error).message).not.toContain("ENOENT");
    const folder = join(DREAMHOUSE, "no-such-app");
    const project = await startEmulator({ port: 0, project: folder }).catch((e: unknown) => e);
    expect(project).toBeInstanceOf(EmulatorOptionError);
    expect((project as Error).message).toContain(
      `folder not found: ${folder} (from the emulator's project option)`,
    );
  });
});
