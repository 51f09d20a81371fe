import { inspect } from "node:util";
import { ConfigurationError, type Client, SalesforceResourceNotFound } from "@sfkit/core";
import { startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { SFType, Salesforce, salesforceLogin } from "../src/index.js";

// The preset's own surface: sf.Contact sugar, the composed plugins, SFType, salesforceLogin,
// oauth2 and extend, against the emulator.

type Org = Awaited<ReturnType<typeof startEmulator>>;
let org: Org;
let sf: Salesforce;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  const user = org.users[0]!;
  sf = new Salesforce({
    username: user.username,
    password: user.password,
    securityToken: user.securityToken,
    loginUrl: org.loginUrl,
    bulk: { pollInterval: 50, maxPollInterval: 200 },
  });
  open.push(sf);
});

afterAll(async () => {
  for (const client of open) await client.close();
  await org?.close();
});

describe("sf.<Object> sugar", () => {
  it("sf.Contact is sf.sobjects.Contact, the same object on every access", async () => {
    expect(sf.Contact).toBe(sf.sobjects.Contact);
    expect(sf.Contact).toBe(sf.Contact);
    expect(sf.My_Object__c).toBe(sf.sobjects.My_Object__c);
    const created = await sf.Contact.create({ LastName: "Sugar" });
    expect(created.success).toBe(true);
    const record = await sf.Contact.get(created.id!);
    expect(record.LastName).toBe("Sugar");
    expect(await sf.Contact.update(created.id!, { FirstName: "Brown" })).toBe(204);
    expect(await sf.Contact.delete(created.id!)).toBe(204);
    await expect(sf.Contact.get(created.id!)).rejects.toBeInstanceOf(SalesforceResourceNotFound);
  });

  it("does not shadow the preset's own members, and leaves non-sObject names alone", () => {
    expect(typeof sf.query).toBe("function");
    expect(typeof sf.describe).toBe("function");
    expect(sf.bulk).toBeDefined();
    expect(sf.bulk).not.toBe(sf.sobjects.bulk);
    expect((sf as unknown as Record<string, unknown>).then).toBeUndefined(); // `await sf` is safe
    expect((sf as unknown as Record<string, unknown>).lowercase).toBeUndefined();
    expect("Account" in sf).toBe(true);
    expect("query" in sf).toBe(true);
  });

  it("is read-only", () => {
    expect(() => {
      (sf as unknown as Record<string, unknown>).Contact = 1;
    }).toThrow(ConfigurationError);
  });

  it("is typed", () => {
    expectTypeOf(sf.Contact.create).toBeFunction();
    interface Broker {
      Name?: string;
      Broker_Id__c?: number;
    }
    const typed = new Salesforce<{ Broker__c: Broker }>({ sessionId: "S", instanceUrl: org.url });
    open.push(typed);
    expectTypeOf(typed.Broker__c.get).returns.resolves.toHaveProperty("Broker_Id__c");
    expectTypeOf(typed.Contact.create).toBeFunction();
    expectTypeOf(sf.sfInstance).toEqualTypeOf<string | undefined>();
    // @ts-expect-error lower-case names are not sObjects
    sf.notAnObject;
  });
});

describe("the composed plugins", () => {
  it("query, queryAll, queryIter, search, describe and limits come from rest()", async () => {
    await sf.Account.create({ Name: "Preset Query Co" });
    const page = await sf.query<{ Name: string }>("SELECT Name FROM Account WHERE Name = 'Preset Query Co'");
    expect(page.records.map((r) => r.Name)).toEqual(["Preset Query Co"]);
    const names: string[] = [];
    for await (const record of sf.queryIter<{ Name: string }>("SELECT Name FROM Account"))
      names.push(record.Name);
    expect(names).toContain("Preset Query Co");
    const global = await sf.describe();
    expect(global.sobjects.some((o) => o.name === "Contact")).toBe(true);
    expect(await sf.limits()).toHaveProperty("DailyApiRequests");
  });

  it("sf.bulk (Bulk 1.0) and sf.bulk2 (Bulk 2.0) come from bulk()", async () => {
    const results = await sf.bulk.Contact.insert([{ LastName: "Bulk One" }, { LastName: "Bulk Two" }]);
    expect(results.map((r) => r.success)).toEqual([true, true]);
    const ingest = await sf.bulk2.Contact.insert({
      records: [{ LastName: "Bulk2 A" }, { LastName: "Bulk2 B" }],
    });
    expect(ingest.successful).toHaveLength(2);
    const rows: Array<Record<string, string>> = [];
    for await (const row of sf.bulk2.Contact.query(
      "SELECT LastName FROM Contact WHERE LastName LIKE 'Bulk2%'",
    )) {
      rows.push(row);
    }
    expect(rows.map((r) => r.LastName).sort()).toEqual(["Bulk2 A", "Bulk2 B"]);
  });

  it("sf.apexecute and sf.apex come from apex()", async () => {
    org.apex.route("POST", "/User/Activity", (request) => ({ status: 200, body: { got: request.body } }));
    org.apex.route("GET", "/Ping", () => "pong");
    expect(await sf.apexecute("User/Activity", { method: "POST", data: { a: 1 } })).toEqual({
      got: { a: 1 },
    });
    expect(await sf.apex.get("Ping")).toBe("pong");
  });

  it("isSandbox, toolingExecute and setPassword are there (rest())", async () => {
    expect(await sf.isSandbox()).toBe(false);
    expect(typeof sf.toolingExecute).toBe("function");
    expect(typeof sf.setPassword).toBe("function");
  });

  it("oauth2() calls /services/oauth2/<path> on the instance", async () => {
    const info = await sf.oauth2<{ preferred_username?: string; email?: string }>("userinfo");
    expect(info).not.toBeNull();
    expect(JSON.stringify(info)).toContain(org.users[0]!.username);
    await expect(sf.oauth2("")).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("oauth2() gives null for an answer that is not JSON (E3: revoke)", async () => {
    const user = org.users[0]!;
    const other = await salesforceLogin({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    });
    expect(await sf.oauth2("revoke", { method: "POST", params: { token: other.sessionId } })).toBeNull();
    const revoked = new SFType("Contact", other.sessionId, other.instanceUrl);
    open.push(revoked);
    await expect(revoked.describe()).rejects.toMatchObject({ status: 401 });
  });

  it("apiUsage is shared by every call, sObject calls included (unlike simple-salesforce's SFType)", async () => {
    await sf.limits();
    const before = sf.apiUsage!.used;
    await sf.Contact.create({ LastName: "Counted" });
    expect(sf.apiUsage!.used).toBeGreaterThan(before);
  });
});

describe("extend", () => {
  it("adds a plugin's keys and keeps the preset's members and sugar", async () => {
    const counted = sf.extend((client: Client) => ({
      async userCount() {
        const { data } = await client.request<{ totalSize: number }>({
          path: "query",
          query: { q: "SELECT Id FROM User" },
        });
        return data.totalSize;
      },
    }));
    expect(await counted.userCount()).toBeGreaterThan(0);
    expect(counted.Contact).toBe(counted.sobjects.Contact);
    expect(counted.sessionId).toBe(sf.sessionId);
    expect(counted.authType).toBe("password");
    expectTypeOf(counted.userCount).returns.resolves.toBeNumber();
    expect(() => sf.extend(() => ({ query: 1 }))).toThrow(ConfigurationError);
  });
});

describe("SFType and salesforceLogin", () => {
  it("salesforceLogin returns the session id and instance; SFType works on them", async () => {
    const user = org.users[0]!;
    const { sessionId, instance, instanceUrl } = await salesforceLogin({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    });
    expect(instance).toBe(new URL(org.url).host);
    expect(instanceUrl).toBe(org.url);
    const contact = new SFType("Contact", sessionId, instanceUrl);
    open.push(contact);
    expect(contact).toBeInstanceOf(SFType);
    expect(contact.name).toBe("Contact");
    expect(contact.sfInstance).toBe(instance);
    expect(contact.baseUrl).toBe(`${org.url}/services/data/v${contact.sfVersion}/sobjects/Contact/`);
    const created = await contact.create({ LastName: "Typed" });
    expect((await contact.get(created.id!)).LastName).toBe("Typed");
    expect(contact.apiUsage?.used).toBeGreaterThan(0);
    expect(inspect(contact)).not.toContain(sessionId);
    expect(JSON.stringify(contact)).not.toContain(sessionId);
  });

  it("SFType refuses a missing session or instance", () => {
    expect(() => new SFType("Contact", "", "acme.my.salesforce.com")).toThrow(ConfigurationError);
    expect(() => new SFType("Contact", "S", "")).toThrow(ConfigurationError);
  });
});

describe("instanceof and logout", () => {
  it("sf instanceof Salesforce; logout forgets the session", async () => {
    const user = org.users[0]!;
    const other = await Salesforce.connect({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    });
    open.push(other);
    expect(other).toBeInstanceOf(Salesforce);
    expect(other.sessionId).toEqual(expect.any(String));
    await other.logout();
    expect(other.sessionId).toBeUndefined();
  });
});
