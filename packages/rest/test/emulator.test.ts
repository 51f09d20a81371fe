// The real client against the real emulator over loopback HTTP.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { soapLogin } from "@sfkit/auth-soap";
import {
  ConfigurationError,
  SalesforceAbortError,
  SalesforceMalformedRequest,
  SalesforceMoreThanOneRecord,
  SalesforceResourceNotFound,
  createClient,
} from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatExternalId, formatSoql, rest, soql } from "../src/index.js";
import { fixture } from "./helpers/replay-server.js";

interface Widget {
  Id?: string;
  Name?: string;
  Ext_Id__c?: string | null;
  Code__c?: string | null;
  Seq__c?: number | null;
}

let org: Emulator;
let sf: ReturnType<typeof connect>;

function connect(options: Parameters<typeof rest>[0] = {}) {
  const user = org.users[0]!;
  return createClient({
    auth: soapLogin({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    }),
  }).extend(rest<{ Widget__c: Widget }>(options));
}

beforeAll(async () => {
  org = await startEmulator({
    port: 0,
    schema: [
      {
        name: "Widget__c",
        fields: [
          { name: "Ext_Id__c", type: "string", length: 255, externalId: true, unique: true },
          { name: "Code__c", type: "string", length: 80, externalId: true },
          { name: "Seq__c", type: "double", precision: 18, scale: 0 },
        ],
      },
      { name: "Doc__c", fields: [{ name: "Body__c", type: "base64" }] },
    ],
  });
  sf = connect();
});
afterAll(async () => {
  await sf?.close();
  await org?.close();
});

describe("records", () => {
  it("create, get (all fields and some), update, delete", async () => {
    const created = await sf.sobjects.Contact.create({ LastName: "Smith", Email: "smith@example.com" });
    expect(created).toMatchObject({ success: true, errors: [] });
    const id = created.id!;
    const record = await sf.sobject("Contact").get(id);
    expect(record).toMatchObject({ attributes: { type: "Contact" }, Id: id, LastName: "Smith" });
    const some = await sf.sobjects.Contact.get(id, { fields: ["Id", "Email"] });
    expect(some.Email).toBe("smith@example.com");
    expect(some).not.toHaveProperty("LastName");
    expect(await sf.sobjects.Contact.update(id, { LastName: "Jones" })).toBe(204);
    expect((await sf.sobjects.Contact.get(id)).LastName).toBe("Jones");
    expect(await sf.sobjects.Contact.delete(id)).toBe(204);
    await expect(sf.sobjects.Contact.get(id)).rejects.toBeInstanceOf(SalesforceResourceNotFound);
  });

  it("validation errors keep Salesforce's code", async () => {
    const error = await sf.sobjects.Contact.create({ FirstName: "NoLastName" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMalformedRequest);
    expect((error as SalesforceMalformedRequest).errorCode).toBe("REQUIRED_FIELD_MISSING");
    const bad = await sf.sobjects.Contact.create({ LastName: "x", NoSuch__c: 1 }).catch((e: unknown) => e);
    expect((bad as SalesforceMalformedRequest).errorCode).toBe("INVALID_FIELD");
  });

  it("upsert by external id: awkward values are one path segment and round-trip exactly (F04)", async () => {
    const values = ["a/b c", "x#y", "100%", "q?z&w=1", "plus+sign", "é€😀", "../up", "it's"];
    for (const value of values) {
      expect(await sf.sobjects.Widget__c.upsert(["Ext_Id__c", value], { Name: `w ${value}` })).toBe(201);
      expect(
        await sf.sobjects.Widget__c.upsert(formatExternalId("Ext_Id__c", value), { Name: `w2 ${value}` }),
      ).toBe(200);
      const found = await sf.sobjects.Widget__c.getByCustomId("Ext_Id__c", value);
      expect(found).toMatchObject({ Ext_Id__c: value, Name: `w2 ${value}` });
    }
    const result = await sf.sobjects.Widget__c.upsertResult(["Ext_Id__c", "fresh/one"], { Name: "fresh" });
    expect(result).toMatchObject({ status: 201, created: true, success: true });
    expect(result.id).toMatch(/^a/);
  });

  it("upsert matching several records throws SalesforceMoreThanOneRecord with their URLs", async () => {
    await sf.sobjects.Widget__c.create({ Name: "d1", Code__c: "DUP" });
    await sf.sobjects.Widget__c.create({ Name: "d2", Code__c: "DUP" });
    const error = await sf.sobjects.Widget__c.upsert(["Code__c", "DUP"], { Name: "x" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SalesforceMoreThanOneRecord);
    expect((error as SalesforceMoreThanOneRecord).records).toHaveLength(2);
    expect((error as SalesforceMoreThanOneRecord).records[0]).toMatch(
      /^\/services\/data\/v\d+\.0\/sobjects\/Widget__c\//,
    );
    await expect(sf.sobjects.Widget__c.getByCustomId("Code__c", "DUP")).rejects.toBeInstanceOf(
      SalesforceMoreThanOneRecord,
    );
  });

  it("upsert on a field that is not an external id is a 404", async () => {
    await expect(sf.sobjects.Widget__c.upsert(["Namez", "x"], {})).rejects.toBeInstanceOf(
      SalesforceResourceNotFound,
    );
  });

  it("deleted and updated feeds (dates sent as encoded UTC; Salesforce covers whole past minutes)", async () => {
    let clock = Date.UTC(2026, 0, 5, 10, 0, 30);
    const timed = await startEmulator({ port: 0, now: () => clock });
    const user = timed.users[0]!;
    const client = createClient({
      auth: soapLogin({
        username: user.username,
        password: user.password,
        securityToken: user.securityToken,
        loginUrl: timed.loginUrl,
      }),
    }).extend(rest());
    try {
      const start = new Date(clock - 60 * 60_000);
      const { id } = await client.sobjects.Contact.create({ LastName: "Feed" });
      const { id: other } = await client.sobjects.Contact.create({ LastName: "Kept" });
      await client.sobjects.Contact.delete(id!);
      clock += 2 * 60_000;
      const end = new Date(clock);
      const deleted = await client.sobjects.Contact.deleted(start, end);
      expect(deleted.deletedRecords.map((r) => r.id)).toEqual([id]);
      expect(deleted.latestDateCovered).toBe("2026-01-05T10:02:00.000+0000");
      const updated = await client.sobjects.Contact.updated(start, end);
      expect(updated.ids).toContain(other);
      expect(updated.ids).not.toContain(id);
      const tooOld = await client.sobjects.Contact.deleted(new Date(clock - 20 * 86_400_000), end).catch(
        (e: unknown) => e,
      );
      expect(tooOld).toMatchObject({ errorCode: "INVALID_REPLICATION_DATE" });
    } finally {
      await client.close();
      await timed.close();
    }
  });

  it("metadata, describe, layouts and the describe cache", async () => {
    const metadata = await sf.sobjects.Contact.metadata();
    expect(metadata.objectDescribe.name).toBe("Contact");
    const describe = await sf.sobjects.Widget__c.describe();
    expect(describe.fields.map((f) => f.name)).toEqual(expect.arrayContaining(["Id", "Name", "Ext_Id__c"]));
    expect(await sf.sobjects.Contact.describeLayout()).toBeTruthy();
    const global = await sf.describe();
    expect(global.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(["Account", "Contact", "Widget__c"]),
    );
    const cached = connect({ describeCache: true });
    const before = org.stats.requests;
    await cached.sobjects.Account.describe();
    await cached.sobjects.Account.describe();
    await cached.describe();
    await cached.describe();
    expect(org.stats.requests - before).toBe(3); // one login + two describes
    await cached.close();
  });

  it("limits and restful", async () => {
    const limits = await sf.limits();
    expect(limits.DailyApiRequests).toMatchObject({ Max: expect.any(Number), Remaining: expect.any(Number) });
    const { id } = await sf.sobjects.Contact.create({ LastName: "Rest" });
    expect(
      await sf.restful(`sobjects/Contact/${id}`, { method: "PATCH", body: { LastName: "Restful" } }),
    ).toBeNull();
    const record = await sf.restful<{ LastName: string }>(`sobjects/Contact/${id}`, {
      params: { fields: "LastName" },
    });
    expect(record?.LastName).toBe("Restful");
  });

  it("toolingQuery returns the tooling envelope; toolingExecute reaches the same API", async () => {
    const result = await sf.toolingQuery("SELECT Id, Name FROM ApexClass");
    expect(result).toMatchObject({ done: true, entityTypeName: "ApexClass", queryLocator: null });
    expect(result.size).toBe(result.records.length);
    const raw = await sf.toolingExecute<{ entityTypeName: string }>("query/?q=SELECT+Id+FROM+ApexClass");
    expect(raw?.entityTypeName).toBe("ApexClass");
    await expect(sf.toolingQuery("SELECT Id FROM NoSuchThing")).rejects.toBeInstanceOf(
      SalesforceMalformedRequest,
    );
  });

  it("describeLayout by record type id, and a 404 for an unknown one", async () => {
    const layout = (await sf.sobjects.Account.describeLayout("012000000000000AAA")) as Record<
      string,
      unknown
    >;
    expect(layout).toHaveProperty("detailLayoutSections");
    await expect(sf.sobjects.Account.describeLayout("012000000000001AAA")).rejects.toBeInstanceOf(
      SalesforceResourceNotFound,
    );
  });

  it("base64 fields: upload from bytes or a file, read back the raw bytes, replace them", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const created = await sf
      .sobject("Doc__c")
      .uploadBase64(bytes, { field: "Body__c", data: { Name: "blob" } });
    expect(created.success).toBe(true);
    expect(await sf.sobject("Doc__c").getBase64(created.id!, { field: "Body__c" })).toEqual(bytes);
    const dir = await mkdtemp(join(tmpdir(), "sfkit-rest-"));
    const path = join(dir, "note.txt");
    await writeFile(path, "héllo\n");
    expect(await sf.sobject("Doc__c").updateBase64(created.id!, path, { field: "Body__c" })).toBe(204);
    expect((await sf.sobject("Doc__c").getBase64(created.id!, { field: "Body__c" })).toString("utf8")).toBe(
      "héllo\n",
    );
    await rm(dir, { recursive: true });
    const missing = join(dir, "missing.bin");
    const error = await sf
      .sobject("Doc__c")
      .uploadBase64(missing, { field: "Body__c" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe("ERR_FILE_NOT_FOUND");
    expect((error as Error).message).toContain(
      `file not found: ${missing} (from the file argument of uploadBase64())`,
    );
    expect((error as Error).message).not.toContain("ENOENT");
  });

  it("isSandbox reads the Organization; oauth2 reaches userinfo with the session", async () => {
    expect(await sf.isSandbox()).toBe(false);
    expect(await sf.oauth2("userinfo")).toMatchObject({ preferred_username: org.users[0]!.username });
  });
});

describe("queries", () => {
  const total = 450;
  beforeAll(async () => {
    for (let i = 0; i < total; i++)
      org.insert("Widget__c", { Name: `Paged ${i}`, Seq__c: i, Code__c: "PAGED" });
  });
  const q = "SELECT Id, Seq__c FROM Widget__c WHERE Code__c = 'PAGED' ORDER BY Seq__c";

  it("query returns one page; queryMore follows nextRecordsUrl verbatim (F06)", async () => {
    const first = await sf.query(q, { batchSize: 200 });
    expect(first).toMatchObject({ totalSize: total, done: false });
    expect(first.records).toHaveLength(200);
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v\d+\.0\/query\/01g/);
    const second = await sf.queryMore(first.nextRecordsUrl!);
    expect(second.records[0]!.Seq__c).toBe(200);
    const locator = first.nextRecordsUrl!.split("/").at(-1)!;
    const again = await sf.queryMore(locator);
    expect(again.records[0]!.Seq__c).toBe(200);
  });

  it("queryAll returns every record with the total of all; queryIter streams the same", async () => {
    const all = await sf.queryAll(q, { batchSize: 200 });
    expect(all).toMatchObject({ totalSize: total, done: true });
    expect(all.records.map((r) => r.Seq__c)).toEqual(Array.from({ length: total }, (_, i) => i));
    let count = 0;
    for await (const record of sf.queryIter(q, { batchSize: 200 })) {
      expect(record.Seq__c).toBe(count++);
    }
    expect(count).toBe(total);
  });

  it("queryIter stops with SalesforceAbortError at the next record once the caller aborts", async () => {
    const caller = new AbortController();
    const seen: unknown[] = [];
    const reading = (async () => {
      // one page holds all the records: no request is left for the abort to cancel
      for await (const record of sf.queryIter(q, { batchSize: 2000, signal: caller.signal })) {
        seen.push(record);
        if (seen.length === 10) caller.abort();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(SalesforceAbortError);
    expect(seen).toHaveLength(10);
  });

  it("maxRecords: exact, the cut reported, and resuming loses nothing (F07)", async () => {
    const cut = await sf.queryAll(q, { batchSize: 200, maxRecords: 250 });
    expect(cut.records).toHaveLength(250);
    expect(cut).toMatchObject({ truncated: true, done: false, totalSize: total });
    expect(cut.remainder).toHaveLength(150);
    const rest = await sf.queryAll(q, { batchSize: 200 }).then((r) => r.records.slice(250));
    const resumed = [...cut.remainder!, ...(await sf.queryMore(cut.nextRecordsUrl!)).records];
    expect(resumed.map((r) => r.Seq__c)).toEqual(rest.map((r) => r.Seq__c));
  });

  it("includeDeleted reaches deleted rows through /queryAll (F08)", async () => {
    const { id } = await sf.sobjects.Widget__c.create({ Name: "Gone", Code__c: "GONE" });
    await sf.sobjects.Widget__c.delete(id!);
    const gone = "SELECT Id, IsDeleted FROM Widget__c WHERE Code__c = 'GONE'";
    expect((await sf.query(gone)).records).toHaveLength(0);
    const withDeleted = await sf.query(gone, { includeDeleted: true });
    expect(withDeleted.records).toEqual([expect.objectContaining({ Id: id, IsDeleted: true })]);
    expect((await sf.queryAll(gone, { includeDeleted: true })).records).toHaveLength(1);
  });

  it("SOQL with + % & # and a +hh:mm offset arrives intact (F05, F24)", async () => {
    const name = "A+B 100% & #1 'quoted' \\ back";
    await sf.sobjects.Widget__c.create({ Name: name, Code__c: "ENC" });
    const found = await sf.query(
      soql`SELECT Name FROM Widget__c WHERE Name = ${name} AND CreatedDate > ${new Date(Date.now() - 3_600_000)}`,
    );
    expect(found.records.map((r) => r.Name)).toEqual([name]);
    const offset = await sf.query(
      "SELECT Name FROM Widget__c WHERE Code__c = 'ENC' AND CreatedDate > 2000-01-01T00:00:00+05:30",
    );
    expect(offset.totalSize).toBe(1);
    const like = await sf.query(
      formatSoql("SELECT Name FROM Widget__c WHERE Name LIKE '%:t:like%'", { t: "100% &" }),
    );
    expect(like.records.map((r) => r.Name)).toEqual([name]);
  });

  it("a bad query is a typed error with Salesforce's code", async () => {
    const error = await sf.query("SELECT NoSuchField FROM Contact").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMalformedRequest);
    expect((error as SalesforceMalformedRequest).errorCode).toBe("INVALID_FIELD");
    // Salesforce's message is multi-line (query, caret, position): core keeps it intact.
    expect((error as Error).message).toContain(
      "INVALID_FIELD: \nSELECT NoSuchField FROM Contact\n       ^\nERROR at Row:1:Column:8\n",
    );
    await expect(sf.query("SELECT FROM")).rejects.toMatchObject({ errorCode: "MALFORMED_QUERY" });
    await expect(sf.query("SELECT Id FROM Contact", { batchSize: 100 })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });

  it("child subqueries: null when empty, completed when they page on their own", async () => {
    const { id: accountId } = await sf.sobjects.Account.create({ Name: "Parent" });
    const { id: lonely } = await sf.sobjects.Account.create({ Name: "Lonely" });
    for (let i = 0; i < 250; i++) org.insert("Contact", { LastName: `Child ${i}`, AccountId: accountId });
    const q = formatSoql(
      "SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id IN :ids ORDER BY Name DESC",
      {
        ids: [accountId, lonely],
      },
    );
    const page = await sf.query(q, { batchSize: 200 });
    const raw = page.records.find((r) => r.Id === accountId) as {
      Contacts: { done: boolean; nextRecordsUrl?: string };
    };
    expect(raw.Contacts).toMatchObject({
      done: false,
      nextRecordsUrl: expect.stringMatching(/^\/services\/data\//),
    });
    const result = await sf.queryAll(q, { batchSize: 200 });
    const parent = result.records.find((r) => r.Id === accountId) as {
      Contacts: { done: boolean; records: unknown[] };
    };
    expect(parent.Contacts.done).toBe(true);
    expect(parent.Contacts.records).toHaveLength(250);
    expect(new Set(parent.Contacts.records.map((c) => (c as { Id: string }).Id)).size).toBe(250);
    expect(result.records.find((r) => r.Id === lonely)).toMatchObject({ Contacts: null });
  });
});

describe("search", () => {
  it("search returns { searchRecords }; nothing found is null; a malformed search is typed", async () => {
    const { id } = await sf.sobjects.Contact.create({ LastName: "Searchable", FirstName: "Quinn" });
    const found = await sf.search("FIND {Searchable} IN NAME FIELDS RETURNING Contact(Id, LastName)");
    expect(found?.searchRecords).toEqual([expect.objectContaining({ Id: id, LastName: "Searchable" })]);
    expect(await sf.search("FIND {Zyxwvutsrq} RETURNING Contact(Id)")).toBeNull();
    const error = await sf.search("FIND Searchable").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMalformedRequest);
    expect((error as SalesforceMalformedRequest).errorCode).toBe("MALFORMED_SEARCH");
  });

  it("quickSearch escapes reserved characters, so a term cannot leave its braces (F09)", async () => {
    const { id } = await sf.sobjects.Contact.create({ LastName: "Jones & Co-op {x}", FirstName: "Sam" });
    const found = await sf.quickSearch("Jones & Co-op {x}", { returning: "Contact(Id, LastName)" });
    expect(found?.searchRecords.map((r) => r.Id)).toContain(id);
    // An attempt to close the braces and add a clause stays part of the term.
    const injected = await sf.quickSearch("Jones} RETURNING User(Username", { returning: "Contact(Id)" });
    expect(injected?.searchRecords.every((r) => r.attributes?.type === "Contact") ?? true).toBe(true);
  });
});

describe("faults and recorded bodies through the emulator", () => {
  it("serves a recorded pre-v36 search array and an empty search: both shapes read", async () => {
    org.faults.next({
      path: "/search",
      status: 200,
      body: fixture("restforce/search_success_response.json"),
    });
    const old = await sf.search("FIND {bar}");
    expect(old?.searchRecords.map((r) => r.Id)).toEqual(["foo", "bar"]);
    org.faults.next({ path: "/search", status: 200, body: { searchRecords: [] } });
    expect(await sf.search("FIND {nothing}")).toBeNull();
  });

  it("a recorded 300 upsert body gives SalesforceMoreThanOneRecord", async () => {
    org.faults.next({
      path: "/sobjects/Widget__c/Ext_Id__c/",
      status: 300,
      body: fixture("restforce/upsert_multiple_error_response.json"),
    });
    const error = await sf.sobjects.Widget__c.upsert(["Ext_Id__c", "x"], {}).catch((e: unknown) => e);
    expect((error as SalesforceMoreThanOneRecord).records).toHaveLength(2);
  });

  it("a 204 upsert (≤ v45) with the recorded empty body is a status, not a parse error (F19)", async () => {
    org.faults.next({
      path: "/sobjects/Widget__c/Ext_Id__c/",
      status: 204,
      body: fixture("restforce/upsert_updated_success_response.json"),
    });
    expect(await sf.sobjects.Widget__c.upsert(["Ext_Id__c", "y"], {})).toBe(204);
  });

  it("recorded limits and describe bodies parse", async () => {
    org.faults.next({ path: "/limits", status: 200, body: fixture("swiftly/limits.json") });
    expect((await sf.limits()).DailyApiRequests).toBeDefined();
    org.faults.next({
      path: "/sobjects/Account/describe",
      status: 200,
      body: fixture("swiftly/account-describe.json"),
    });
    expect((await sf.sobjects.Account.describe({ refresh: true })).fields.length).toBeGreaterThan(50);
    org.faults.next({ path: "/query", status: 200, body: fixture("swiftly/account-query.json") });
    expect((await sf.query("SELECT Id, Name FROM Account")).records).toHaveLength(12);
  });

  it("an expired session is refreshed once by the auth strategy and the call succeeds", async () => {
    org.faults.next({ path: "/sobjects/Contact", expireSession: true });
    const { id } = await sf.sobjects.Contact.create({ LastName: "AfterExpiry" });
    expect(id).toBeTruthy();
  });
});
