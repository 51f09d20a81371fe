// Exact request lines and recorded Salesforce bodies through the client's parsing, against a
// loopback server (the emulator tests cover behaviour; these pin the wire).
import {
  ConfigurationError,
  SalesforceExpiredSession,
  SalesforceMalformedRequest,
  SalesforceMalformedResponse,
  SalesforceMoreThanOneRecord,
  SalesforceResourceNotFound,
  createClient,
} from "@sfkit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rest } from "../src/index.js";
import { type Reply, type SeenRequest, fixture, startReplayServer } from "./helpers/replay-server.js";

const TOKEN = "00DXX0000000001!CANARY-SECRET-TOKEN";
const B = "/services/data/v59.0/";
let server: Awaited<ReturnType<typeof startReplayServer>>;
let sf: ReturnType<typeof makeClient>;

function makeClient(options: Parameters<typeof rest>[0] = {}) {
  return createClient({
    instanceUrl: server.url,
    sessionId: TOKEN,
    apiVersion: "59.0",
    retry: { limit: 0 },
  }).extend(rest(options));
}

function answer(handler: (request: SeenRequest) => Reply) {
  server.setHandler(handler);
}

const raw = (name: string): Reply => ({ body: fixture(name) });

beforeAll(async () => {
  server = await startReplayServer(() => ({ status: 500, body: "no handler" }));
  sf = makeClient();
});
afterAll(async () => {
  await sf.close();
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const last = () => server.requests.at(-1)!;

describe("sObject calls: request lines and return values", () => {
  it("create posts JSON and returns the recorded result", async () => {
    answer(() => ({ status: 201, body: fixture("restforce/create_success_response.json") }));
    const result = await sf.sobjects.Case.create({ some: "data" });
    expect(last()).toMatchObject({ method: "POST", url: `${B}sobjects/Case`, body: '{"some":"data"}' });
    expect(last().headers["content-type"]).toBe("application/json");
    expect(last().headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(result).toEqual({ id: "some_id", success: true, errors: [] });
  });

  it("get, with and without fields", async () => {
    answer(() => raw("restforce/sobject_find_success_response.json"));
    const record = await sf.sobject("Case").get("444");
    expect(last().url).toBe(`${B}sobjects/Case/444`);
    expect(record.attributes?.type).toBe("Whizbang");
    await sf.sobjects.Case.get("444", { fields: ["Id", "Email"] });
    expect(last().url).toBe(`${B}sobjects/Case/444?fields=Id%2CEmail`);
  });

  it("getByCustomId encodes the value as one segment (space is %20, not +)", async () => {
    answer(() => ({ body: {} }));
    await sf.sobjects.Case.getByCustomId("Ext__c", "a b/c&d");
    expect(last().url).toBe(`${B}sobjects/Case/Ext__c/a%20b%2Fc%26d`);
  });

  it("update returns the status; 204 and an empty 200 are never parsed (F19)", async () => {
    answer(() => ({ status: 204 }));
    expect(await sf.sobjects.Case.update("some-case-id", { some: "data" })).toBe(204);
    expect(last()).toMatchObject({
      method: "PATCH",
      url: `${B}sobjects/Case/some-case-id`,
      body: '{"some":"data"}',
    });
    answer(() => ({ status: 200, body: "" }));
    expect(await sf.sobjects.Case.update("x", { a: 1 })).toBe(200);
  });

  it("upsert: string path kept when already encoded, tuple value encoded as one segment (F04)", async () => {
    answer(() => ({ status: 201, body: fixture("restforce/upsert_created_success_response.json") }));
    expect(await sf.sobjects.Case.upsert("Ext__c/11999", { LastName: "Smith" })).toBe(201);
    expect(last()).toMatchObject({ method: "PATCH", url: `${B}sobjects/Case/Ext__c/11999` });
    await sf.sobjects.Case.upsert(["Ext__c", "a/b c#d%e?f é"], {});
    expect(last().url).toBe(`${B}sobjects/Case/Ext__c/a%2Fb%20c%23d%25e%3Ff%20%C3%A9`);
    await sf.sobjects.Case.upsert(["Ext__c", 42], {});
    expect(last().url).toBe(`${B}sobjects/Case/Ext__c/42`);
    // A raw "/" or "#" in the string form cannot become URL structure either.
    await sf.sobjects.Case.upsert("Ext__c/http://site/id#x", {});
    expect(last().url).toBe(`${B}sobjects/Case/Ext__c/http%3A%2F%2Fsite%2Fid%23x`);
    await sf.sobjects.Case.upsert("Ext__c/some%2Fother%27type%20value", {});
    expect(last().url).toBe(`${B}sobjects/Case/Ext__c/some%2Fother%27type%20value`);
    await sf.sobjects.Case.upsert("Ext__c/100%", {});
    expect(last().url).toBe(`${B}sobjects/Case/Ext__c/100%25`);
  });

  it("upsert statuses: 201 created, 204 (recorded empty body) and 200 updated", async () => {
    answer(() => ({ status: 204, body: fixture("restforce/upsert_updated_success_response.json") }));
    expect(await sf.sobjects.Case.upsert(["Ext__c", "1"], {})).toBe(204);
    answer(() => ({ status: 200, body: { id: "500x", success: true, errors: [], created: false } }));
    expect(await sf.sobjects.Case.upsertResult(["Ext__c", "1"], {})).toEqual({
      status: 200,
      created: false,
      id: "500x",
      success: true,
      errors: [],
    });
    answer(() => ({ status: 201, body: { id: "500y", success: true, errors: [], created: true } }));
    expect(await sf.sobjects.Case.upsertResult(["Ext__c", "2"], {})).toMatchObject({
      status: 201,
      created: true,
      id: "500y",
    });
  });

  it("upsert 300 throws SalesforceMoreThanOneRecord carrying the recorded URLs", async () => {
    answer(() => ({ status: 300, body: fixture("restforce/upsert_multiple_error_response.json") }));
    const error = await sf.sobjects.Case.upsert(["Ext__c", "dup"], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMoreThanOneRecord);
    expect((error as SalesforceMoreThanOneRecord).records).toEqual([
      "/services/data/v23.0/sobjects/Whizbang/foo",
      "/services/data/v23.0/sobjects/Whizbang/bar",
    ]);
  });

  it("upsert on a bad field gives SalesforceResourceNotFound with the recorded message", async () => {
    answer(() => ({ status: 404, body: fixture("restforce/upsert_error_response.json") }));
    const error = await sf.sobjects.Case.upsert(["Namez", "x"], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceResourceNotFound);
    expect((error as SalesforceResourceNotFound).errorCode).toBe("NOT_FOUND");
    expect((error as Error).message).toContain(
      "Provided external ID field does not exist or is not accessible: Namez",
    );
  });

  it("bad upsert input is refused before any request", async () => {
    for (const path of ["", "Ext__c", "Ext__c/", "/x", "bad field/1"]) {
      await expect(sf.sobjects.Case.upsert(path, {})).rejects.toBeInstanceOf(ConfigurationError);
    }
    await expect(sf.sobjects.Case.upsert(["Ext__c", ""], {})).rejects.toThrow(/empty/);
    await expect(sf.sobjects.Case.update("", {})).rejects.toThrow(/record id/);
    await expect(sf.sobjects.Case.create(null as never)).rejects.toThrow(/object/);
    expect(server.requests).toHaveLength(0);
  });

  it("delete returns the status", async () => {
    answer(() => ({ status: 204 }));
    expect(await sf.sobjects.Case.delete("some-case-id")).toBe(204);
    expect(last()).toMatchObject({ method: "DELETE", url: `${B}sobjects/Case/some-case-id` });
  });

  it("deleted/updated send UTC +00:00 dates percent-encoded once (F24) and parse the recorded bodies", async () => {
    answer(() => raw("restforce/get_deleted_success_response.json"));
    const deleted = await sf.sobjects.Case.deleted(
      new Date("2014-03-22T00:00:00Z"),
      new Date("2014-03-23T02:00:00+02:00"),
    );
    expect(last().url).toBe(
      `${B}sobjects/Case/deleted/?start=2014-03-22T00%3A00%3A00%2B00%3A00&end=2014-03-23T00%3A00%3A00%2B00%3A00`,
    );
    expect(deleted.deletedRecords[0]).toHaveProperty("deletedDate");
    answer(() => raw("restforce/get_updated_success_response.json"));
    const updated = await sf.sobjects.Case.updated(
      "2014-03-22T05:30:00+05:30",
      new Date("2014-03-23T00:00:00Z"),
    );
    expect(last().url).toBe(
      `${B}sobjects/Case/updated/?start=2014-03-22T00%3A00%3A00%2B00%3A00&end=2014-03-23T00%3A00%3A00%2B00%3A00`,
    );
    expect(Array.isArray(updated.ids)).toBe(true);
  });

  it("deleted/updated refuse invalid, zone-less and reversed windows without a request", async () => {
    const a = new Date("2024-01-02T00:00:00Z");
    const b = new Date("2024-01-03T00:00:00Z");
    await expect(sf.sobjects.Case.deleted(b, a)).rejects.toThrow(/before/);
    await expect(sf.sobjects.Case.deleted(a, a)).rejects.toThrow(/before/);
    await expect(sf.sobjects.Case.updated(new Date("nope"), b)).rejects.toThrow(/invalid/);
    await expect(sf.sobjects.Case.updated("2024-01-01T00:00:00", b)).rejects.toThrow(/time zone/);
    expect(server.requests).toHaveLength(0);
  });

  it("metadata, describe and describeLayout paths; the recorded describe parses", async () => {
    answer(() => raw("restforce/sobject_describe_success_response.json"));
    await sf.sobjects.Case.metadata();
    expect(last().url).toBe(`${B}sobjects/Case`);
    const described = await sf.sobjects.Case.describe();
    expect(last().url).toBe(`${B}sobjects/Case/describe`);
    expect(described.fields.length).toBe(30);
    await sf.sobjects.Case.describeLayout("012000000000000AAA");
    expect(last().url).toBe(`${B}sobjects/Case/describe/layouts/012000000000000AAA`);
    await sf.sobjects.Case.describeLayout();
    expect(last().url).toBe(`${B}sobjects/Case/describe/layouts`);
  });

  it("extra headers per call (Sforce-Auto-Assign)", async () => {
    answer(() => ({ body: {} }));
    await sf.sobjects.Case.metadata({ headers: { "Sforce-Auto-Assign": "FALSE" } });
    expect(last().headers["sforce-auto-assign"]).toBe("FALSE");
  });
});

describe("sobjects proxy", () => {
  it("sobjects.X and sobject('X') are the same object; invalid names are refused", () => {
    expect(sf.sobjects.Contact).toBe(sf.sobject("Contact"));
    expect(sf.sobjects.Contact.name).toBe("Contact");
    expect("Contact" in sf.sobjects).toBe(true);
    expect(Object.keys(sf.sobjects)).toContain("Contact");
    expect(() => sf.sobject("bad name")).toThrow(ConfigurationError);
    expect(() => sf.sobject("../x")).toThrow(ConfigurationError);
    expect((sf.sobjects as unknown as { then?: unknown }).then).toBeUndefined();
  });
  it("awaiting sobjects or a sObject does not make a request", async () => {
    await sf.sobjects;
    expect(server.requests).toHaveLength(0);
  });
});

describe("queries", () => {
  it("sends SOQL percent-encoded once: + % & # and +hh:mm survive (F05)", async () => {
    answer(() => raw("restforce/query_empty_response.json"));
    const q =
      "SELECT Id FROM Account WHERE Name = 'A+B 100% & #1' AND CreatedDate > 2024-01-02T03:04:05+05:30";
    const result = await sf.query(q);
    // encodeURIComponent, with the apostrophe as %27 (the WHATWG URL parser encodes it in queries)
    expect(last().url).toBe(`${B}query?q=${encodeURIComponent(q).replace(/'/g, "%27")}`);
    expect(last().url).toContain("%2B05%3A30");
    expect(new URL(last().url, "http://x").searchParams.get("q")).toBe(q);
    expect(result).toEqual({ totalSize: 0, done: true, records: [] });
  });

  it("includeDeleted uses /queryAll for the query and for locators (F08)", async () => {
    answer(() => raw("restforce/query_empty_response.json"));
    await sf.query("SELECT ID FROM Account", { includeDeleted: true });
    expect(last().url).toBe(`${B}queryAll?q=SELECT%20ID%20FROM%20Account`);
    await sf.queryMore("next-records-id", { includeDeleted: true });
    expect(last().url).toBe(`${B}queryAll/next-records-id`);
    await sf.queryMore("next-records-id");
    expect(last().url).toBe(`${B}query/next-records-id`);
  });

  it("queryMore follows a nextRecordsUrl verbatim, whatever its version (F06)", async () => {
    answer(() => raw("restforce/query_paginated_last_page_response.json"));
    await sf.queryMore("/services/data/v26.0/query/01gD", { identifierIsUrl: true });
    expect(last().url).toBe("/services/data/v26.0/query/01gD");
    await sf.queryMore("/services/data/v59.0/query/01gD0000002HU6KIAW-2000");
    expect(last().url).toBe("/services/data/v59.0/query/01gD0000002HU6KIAW-2000");
    await expect(sf.queryMore("01gD-2000", { identifierIsUrl: true })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });

  it("queryAll walks the recorded pages and reports the total of all records", async () => {
    answer((r) =>
      r.url.startsWith(`${B}query?`)
        ? raw("restforce/query_paginated_first_page_response.json")
        : raw("restforce/query_paginated_last_page_response.json"),
    );
    const all = await sf.queryAll("SELECT Text_Label FROM Whizbang");
    expect(server.requests.map((r) => r.url)).toEqual([
      `${B}query?q=SELECT%20Text_Label%20FROM%20Whizbang`,
      "/services/data/v26.0/query/01gD",
    ]);
    expect(all.totalSize).toBe(2);
    expect(all.done).toBe(true);
    expect(all.records.map((r) => r.Text_Label)).toEqual(["First Page", "Last Page"]);
  });

  // Five records in pages of two: /query → [1,2], /query/L-2 → [3,4], /query/L-4 → [5].
  const paged = (r: SeenRequest): Reply => {
    const offset = r.url.includes("/query/L-") ? Number(r.url.split("-").at(-1)) : 0;
    const ids = [1, 2, 3, 4, 5].slice(offset, offset + 2);
    const done = offset + 2 >= 5;
    return {
      body: {
        totalSize: 5,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v59.0/query/L-${offset + 2}` }),
        records: ids.map((ID) => ({ attributes: { type: "Account" }, ID })),
      },
    };
  };

  it("maxRecords is exact and never drops a fetched record (F07)", async () => {
    answer(paged);
    const three = await sf.queryAll("SELECT ID FROM Account", { maxRecords: 3 });
    expect(three.records.map((r) => r.ID)).toEqual([1, 2, 3]);
    expect(three).toMatchObject({
      done: false,
      truncated: true,
      totalSize: 5,
      nextRecordsUrl: "/services/data/v59.0/query/L-4",
    });
    expect(three.remainder?.map((r) => r.ID)).toEqual([4]);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    const two = await sf.queryAll("SELECT ID FROM Account", { maxRecords: 2 });
    expect(two.records.map((r) => r.ID)).toEqual([1, 2]);
    expect(two).toMatchObject({
      truncated: true,
      remainder: [],
      nextRecordsUrl: "/services/data/v59.0/query/L-2",
    });
    expect(server.requests).toHaveLength(1);

    const resumed = await sf.queryMore(two.nextRecordsUrl!);
    expect(resumed.records.map((r) => r.ID)).toEqual([3, 4]);

    const all = await sf.queryAll("SELECT ID FROM Account", { maxRecords: 10 });
    expect(all).toMatchObject({ totalSize: 5, done: true });
    expect(all.truncated).toBeUndefined();
    expect(all.records).toHaveLength(5);
    await expect(sf.queryAll("SELECT ID FROM Account", { maxRecords: 0 })).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });

  it("queryIter fetches the next page only when the current one is consumed", async () => {
    answer(paged);
    const seen: unknown[] = [];
    for await (const record of sf.queryIter("SELECT ID FROM Account")) {
      seen.push(record.ID);
      if (seen.length === 1) expect(server.requests).toHaveLength(1);
      if (seen.length === 3) expect(server.requests).toHaveLength(2);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    server.requests.length = 0;
    const limited: unknown[] = [];
    for await (const record of sf.queryAllIter("SELECT ID FROM Account", { maxRecords: 2 }))
      limited.push(record.ID);
    expect(limited).toEqual([1, 2]);
    expect(server.requests).toHaveLength(1);
  });

  it("queryAll completes child subqueries that page on their own; null children stay null", async () => {
    answer((r) => {
      if (r.url.startsWith(`${B}query?`)) {
        return {
          body: {
            totalSize: 2,
            done: true,
            records: [
              {
                Id: "001A",
                Contacts: {
                  totalSize: 3,
                  done: false,
                  nextRecordsUrl: "/services/data/v59.0/query/01gCHILD-2",
                  records: [{ Id: "c1" }, { Id: "c2" }],
                },
              },
              { Id: "001B", Contacts: null },
            ],
          },
        };
      }
      return { body: { totalSize: 3, done: true, records: [{ Id: "c3" }] } };
    });
    const result = await sf.queryAll("SELECT Id, (SELECT Id FROM Contacts) FROM Account");
    const first = result.records[0] as { Contacts: { done: boolean; records: Array<{ Id: string }> } };
    expect(first.Contacts.done).toBe(true);
    expect(first.Contacts.records.map((c) => c.Id)).toEqual(["c1", "c2", "c3"]);
    expect(first.Contacts).not.toHaveProperty("nextRecordsUrl");
    expect(result.records[1]).toMatchObject({ Contacts: null });
    expect(server.requests[1]!.url).toBe("/services/data/v59.0/query/01gCHILD-2");
  });

  it("batch size goes in Sforce-Query-Options on every page; out-of-range sizes are refused", async () => {
    answer(paged);
    await sf.queryAll("SELECT ID FROM Account", { batchSize: 500 });
    expect(server.requests.map((r) => r.headers["sforce-query-options"])).toEqual([
      "batchSize=500",
      "batchSize=500",
      "batchSize=500",
    ]);
    await expect(sf.query("SELECT Id FROM Account", { batchSize: 100 })).rejects.toThrow(/200 to 2000/);
    expect(() => makeClient({ queryBatchSize: 5000 })).toThrow(ConfigurationError);
    const sized = makeClient({ queryBatchSize: 1000 });
    await sized.query("SELECT ID FROM Account");
    expect(last().headers["sforce-query-options"]).toBe("batchSize=1000");
  });

  it("recorded aggregate and account query bodies parse", async () => {
    answer(() => raw("swiftly/aggregate-query.json"));
    const aggregate = await sf.query("SELECT COUNT(Id) MyCount FROM Account GROUP BY Type");
    expect(aggregate.records[0]!.attributes).toEqual({ type: "AggregateResult" });
    answer(() => raw("swiftly/account-query.json"));
    const accounts = await sf.queryAll("SELECT Id, Name FROM Account");
    expect(accounts.records).toHaveLength(12);
    expect(accounts.totalSize).toBe(12);
  });

  it("a query error keeps Salesforce's code; a non-query body is a malformed response", async () => {
    answer(() => ({ status: 400, body: fixture("restforce/query_error_response.json") }));
    const error = await sf.query("SELECT Bad FROM Account").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMalformedRequest);
    expect((error as SalesforceMalformedRequest).errorCode).toBe("INVALID_FIELD");
    answer(() => ({ body: { hello: 1 } }));
    await expect(sf.query("SELECT Id FROM Account")).rejects.toBeInstanceOf(SalesforceMalformedResponse);
    answer(() => ({ body: { totalSize: 1, done: false, records: [] } }));
    await expect(sf.queryAll("SELECT Id FROM Account")).rejects.toThrow(/nextRecordsUrl/);
  });
});

describe("search", () => {
  it("quickSearch escapes reserved characters and encodes q once (F09)", async () => {
    answer(() => raw("swiftly/search.json"));
    const found = await sf.quickSearch("Jones & Co-op");
    expect(new URL(last().url, "http://x").searchParams.get("q")).toBe("FIND {Jones \\& Co\\-op}");
    expect(last().url).toBe(`${B}search?q=FIND%20%7BJones%20%5C%26%20Co%5C-op%7D`);
    expect(found?.searchRecords.length).toBeGreaterThan(0);
  });
  it("returns null when nothing is found, in every shape; wraps the pre-v36 bare array", async () => {
    for (const body of [{ searchRecords: [] }, [], {}]) {
      answer(() => ({ body }));
      expect(await sf.search("FIND {nothing}")).toBeNull();
    }
    answer(() => ({ status: 200 }));
    expect(await sf.search("FIND {nothing}")).toBeNull();
    answer(() => raw("restforce/search_success_response.json"));
    const old = await sf.search("FIND {bar}");
    expect(old?.searchRecords.map((r) => r.Id)).toEqual(["foo", "bar"]);
  });
  it("a malformed search is a SalesforceMalformedRequest with MALFORMED_SEARCH", async () => {
    answer(() => ({ status: 400, body: fixture("restforce/search_error_response.json") }));
    const error = await sf.search("FIND nothing").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMalformedRequest);
    expect((error as SalesforceMalformedRequest).errorCode).toBe("MALFORMED_SEARCH");
  });
});

describe("describe, limits, restful, tooling", () => {
  it("global describe parses the recorded bodies and is cached when asked", async () => {
    answer(() => raw("camel/global-describe.json"));
    const global = await sf.describe();
    expect(last().url).toBe(`${B}sobjects`);
    expect(global.sobjects.map((s) => s.name)).toContain("Account");
    answer(() => raw("cumulusci/GET_sobjects_Global_describe.json"));
    const cached = makeClient({ describeCache: true });
    server.requests.length = 0;
    const a = await cached.describe();
    const b = await cached.describe();
    expect(a).toBe(b);
    expect(server.requests).toHaveLength(1);
    await cached.describe({ refresh: true });
    expect(server.requests).toHaveLength(2);
    await cached.sobjects.Contact.describe();
    await cached.sobjects.Contact.describe();
    expect(server.requests).toHaveLength(3);
  });

  it("limits parses the recorded bodies, per-app entries included", async () => {
    answer(() => raw("swiftly/limits.json"));
    const limits = await sf.limits();
    expect(last().url).toBe(`${B}limits`);
    expect(limits.DailyApiRequests).toMatchObject({ Max: expect.any(Number), Remaining: expect.any(Number) });
    answer(() => raw("camel/limits.json"));
    expect((await sf.limits()).DailyApiRequests!["Camel Salesman"]).toEqual({ Max: 1, Remaining: 2 });
  });

  it("restful: params encoded once, JSON body, 204 → null (F19), leading slash tolerated", async () => {
    answer(() => ({ status: 204 }));
    const none = await sf.restful("tooling/sobjects/FlowDefinition/300XX0000000001AAA", {
      method: "PATCH",
      body: { Metadata: { activeVersionNumber: 2 } },
    });
    expect(none).toBeNull();
    expect(last()).toMatchObject({
      method: "PATCH",
      url: `${B}tooling/sobjects/FlowDefinition/300XX0000000001AAA`,
      body: '{"Metadata":{"activeVersionNumber":2}}',
    });
    answer(() => ({ status: 200, body: "" }));
    expect(await sf.restful("x", { method: "PATCH", body: {} })).toBeNull();
    answer(() => ({ body: { ok: true } }));
    expect(await sf.restful("/sobjects/Contact/listviews", { params: { a: "x y+z" } })).toEqual({ ok: true });
    expect(last().url).toBe(`${B}sobjects/Contact/listviews?a=x%20y%2Bz`);
  });

  it("toolingExecute keeps the caller's query string; text comes back as text", async () => {
    answer(() => ({ body: { size: 0, totalSize: 0, done: true, records: [] } }));
    await sf.toolingExecute("query/?q=SELECT+Id+FROM+ApexClass");
    expect(last().url).toBe(`${B}tooling/query/?q=SELECT+Id+FROM+ApexClass`);
    answer(() => ({ body: "7071700002rbUCv", contentType: "text/plain" }));
    expect(
      await sf.toolingExecute("runTestsAsynchronous", { method: "POST", body: { classids: "01p" } }),
    ).toBe("7071700002rbUCv");
  });

  it("tooling: true pages the Tooling API with query, queryMore and queryAll", async () => {
    answer((r) =>
      r.url.includes("/tooling/query?")
        ? {
            body: {
              size: 1,
              totalSize: 2,
              done: false,
              nextRecordsUrl: "/services/data/v59.0/tooling/query/01gT-1",
              records: [{ Id: "a" }],
            },
          }
        : { body: { size: 1, totalSize: 2, done: true, records: [{ Id: "b" }] } },
    );
    const all = await sf.queryAll("SELECT Id FROM ApexClass", { tooling: true });
    expect(server.requests.map((r) => r.url)).toEqual([
      `${B}tooling/query?q=SELECT%20Id%20FROM%20ApexClass`,
      "/services/data/v59.0/tooling/query/01gT-1",
    ]);
    expect(all.records.map((r) => r.Id)).toEqual(["a", "b"]);
    await sf.queryMore("01gT-1", { tooling: true });
    expect(last().url).toBe(`${B}tooling/query/01gT-1`);
  });

  it("toolingQuery returns the tooling envelope", async () => {
    answer(() => ({
      body: {
        size: 1,
        totalSize: 1,
        done: true,
        queryLocator: null,
        entityTypeName: "ApexClass",
        records: [{ Id: "01p" }],
      },
    }));
    const result = await sf.toolingQuery("SELECT Id FROM ApexClass");
    expect(last().url).toBe(`${B}tooling/query?q=SELECT%20Id%20FROM%20ApexClass`);
    expect(result.entityTypeName).toBe("ApexClass");
  });
});

describe("composite", () => {
  it("collections create: chunks of 200 in order, allOrNone in the body, positional results", async () => {
    answer((r) => {
      const body = JSON.parse(r.body) as { records: Array<{ Name: string }> };
      return { body: body.records.map((x) => ({ id: `id-${x.Name}`, success: true, errors: [] })) };
    });
    const records = Array.from({ length: 450 }, (_, i) => ({ Name: String(i) }));
    const results = await sf.composite.create("Account", records, { allOrNone: false });
    expect(
      server.requests.map((r) => [
        r.method,
        r.url,
        (JSON.parse(r.body) as { records: unknown[] }).records.length,
      ]),
    ).toEqual([
      ["POST", `${B}composite/sobjects`, 200],
      ["POST", `${B}composite/sobjects`, 200],
      ["POST", `${B}composite/sobjects`, 50],
    ]);
    const first = JSON.parse(server.requests[0]!.body) as {
      allOrNone: boolean;
      records: Array<{ attributes: unknown }>;
    };
    expect(first.allOrNone).toBe(false);
    expect(first.records[0]!.attributes).toEqual({ type: "Account" });
    expect(results.map((r) => r.id)).toEqual(records.map((r) => `id-${r.Name}`));
  });

  it("allOrNone: after a failing chunk the rest is not sent, and says so item by item", async () => {
    answer((r) => {
      const body = JSON.parse(r.body) as { records: unknown[] };
      return {
        body: body.records.map((_, i) =>
          i === 3
            ? {
                success: false,
                errors: [
                  {
                    statusCode: "REQUIRED_FIELD_MISSING",
                    message: "Required fields are missing: [Name]",
                    fields: ["Name"],
                  },
                ],
              }
            : {
                id: null,
                success: false,
                errors: [
                  {
                    statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                    message: "Record rolled back",
                    fields: [],
                  },
                ],
              },
        ),
      };
    });
    const records = Array.from({ length: 250 }, () => ({ attributes: { type: "Account" }, Name: "x" }));
    const results = await sf.composite.create(records, { allOrNone: true });
    expect(server.requests).toHaveLength(1);
    expect(results).toHaveLength(250);
    expect(results[3]!.errors[0]!.statusCode).toBe("REQUIRED_FIELD_MISSING");
    expect(results[200]!.errors[0]!.statusCode).toBe("PROCESSING_HALTED");
    expect(results.every((r) => !r.success)).toBe(true);
  });

  it("a result list that does not match the records is an error, never silently short", async () => {
    answer(() => ({ body: [{ id: "1", success: true, errors: [] }] }));
    await expect(sf.composite.create("Account", [{ Name: "a" }, { Name: "b" }])).rejects.toBeInstanceOf(
      SalesforceMalformedResponse,
    );
  });

  it("update, upsert, delete and retrieve check their result lists item for item too", async () => {
    answer(() => ({ body: [{ id: "001A", success: true, errors: [] }] }));
    const two = [
      { Id: "001A", Name: "a" },
      { Id: "001B", Name: "b" },
    ];
    const calls = [
      () => sf.composite.update("Account", two),
      () => sf.composite.upsert("Account", "Ext__c", [{ Ext__c: "a" }, { Ext__c: "b" }]),
      () => sf.composite.delete(["001A", "001B"]),
      () => sf.composite.retrieve("Account", ["001A", "001B"], ["Name"]),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(SalesforceMalformedResponse);
    answer(() => ({ body: { not: "a list" } }));
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(SalesforceMalformedResponse);
  });

  it("collections upsert parses the recorded results with created", async () => {
    const cassette = JSON.parse(fixture("cumulusci/TestUpsert.test_simple_upsert__rest.json")) as {
      interactions: Array<{
        request?: { method: string; path: string; body: string };
        response?: { body: string };
      }>;
    };
    const upsert = cassette.interactions.find((i) =>
      i.request?.path.endsWith("composite/sobjects/Contact/Email"),
    )!;
    const sent = JSON.parse(upsert.request!.body) as { records: Array<Record<string, unknown>> };
    answer(() => ({ body: upsert.response!.body }));
    const results = await sf.composite.upsert("Contact", "Email", sent.records);
    expect(last()).toMatchObject({ method: "PATCH", url: `${B}composite/sobjects/Contact/Email` });
    expect(results).toHaveLength(sent.records.length);
    expect(results.every((r) => r.success && r.created === true)).toBe(true);
  });

  it("collections delete and retrieve build their query strings", async () => {
    answer(() => ({
      body: [
        { id: "001A", success: true, errors: [] },
        { id: "001B", success: true, errors: [] },
      ],
    }));
    await sf.composite.delete(["001A", "001B"], { allOrNone: true });
    expect(last()).toMatchObject({
      method: "DELETE",
      url: `${B}composite/sobjects?ids=001A%2C001B&allOrNone=true`,
    });
    answer(() => ({ body: [{ Id: "001A", Name: "a" }, null] }));
    const got = await sf.composite.retrieve("Account", ["001A", "001Z"], ["Id", "Name"]);
    expect(last().url).toBe(`${B}composite/sobjects/Account?ids=001A%2C001Z&fields=Id%2CName`);
    expect(got).toEqual([{ Id: "001A", Name: "a" }, null]);
  });

  it("composite execute normalises URLs and reports sub-request failures (recorded bodies)", async () => {
    answer(() => raw("camel/composite-response-success.json"));
    const ok = await sf.composite.execute([
      { method: "POST", url: "sobjects/Account", referenceId: "a", body: { Name: "x" } },
      {
        method: "POST",
        url: "/services/data/v59.0/sobjects/Contact",
        referenceId: "b",
        body: { AccountId: "@{a.id}" },
      },
    ]);
    const sent = JSON.parse(last().body) as { compositeRequest: Array<{ url: string }>; allOrNone: boolean };
    expect(sent.compositeRequest.map((s) => s.url)).toEqual([
      "/services/data/v59.0/sobjects/Account",
      "/services/data/v59.0/sobjects/Contact",
    ]);
    expect(ok.hasErrors).toBe(false);
    answer(() => raw("camel/composite-response-failure.json"));
    const failed = await sf.composite.execute(
      [
        { method: "POST", url: "sobjects/Account", referenceId: "a" },
        { method: "POST", url: "sobjects/Contact", referenceId: "b" },
      ],
      { allOrNone: true },
    );
    expect(failed.hasErrors).toBe(true);
    await expect(
      sf.composite.execute(
        Array.from({ length: 26 }, (_, i) => ({
          method: "GET" as const,
          url: "limits",
          referenceId: `r${i}`,
        })),
      ),
    ).rejects.toThrow(/at most 25/);
    await expect(
      sf.composite.execute([
        { method: "GET", url: "limits", referenceId: "same" },
        { method: "GET", url: "limits", referenceId: "same" },
      ]),
    ).rejects.toThrow(/unique referenceId/);
  });

  it("composite batch chunks by 25 and halts later chunks after a failure when asked", async () => {
    answer((r) => {
      const body = JSON.parse(r.body) as { batchRequests: Array<{ url: string }> };
      return {
        body: {
          hasErrors: true,
          results: body.batchRequests.map((b, i) =>
            i === 0
              ? { statusCode: 404, result: [{ errorCode: "NOT_FOUND", message: "x" }] }
              : { statusCode: 200, result: { url: b.url } },
          ),
        },
      };
    });
    const subrequests = Array.from({ length: 30 }, () => ({ method: "GET" as const, url: "limits" }));
    const result = await sf.composite.batch(subrequests, { haltOnError: true });
    expect(server.requests).toHaveLength(1);
    const sent = JSON.parse(last().body) as { haltOnError: boolean; batchRequests: Array<{ url: string }> };
    expect(sent.haltOnError).toBe(true);
    expect(sent.batchRequests[0]!.url).toBe("v59.0/limits");
    expect(result.results).toHaveLength(30);
    expect(result.results[29]!.statusCode).toBe(412);
    expect(result.hasErrors).toBe(true);
  });

  it("tree fills in referenceIds and types; a rejected tree comes back with hasErrors", async () => {
    answer(() => ({
      status: 201,
      body: {
        hasErrors: false,
        results: [
          { referenceId: "ref1", id: "001" },
          { referenceId: "c1", id: "003" },
        ],
      },
    }));
    const ok = await sf.composite.tree("Account", [
      {
        Name: "A",
        Contacts: { records: [{ attributes: { type: "Contact", referenceId: "c1" }, LastName: "S" }] },
      },
    ]);
    const sent = JSON.parse(last().body) as { records: Array<Record<string, any>> };
    expect(last().url).toBe(`${B}composite/tree/Account`);
    expect(sent.records[0]!.attributes).toEqual({ type: "Account", referenceId: "ref1" });
    expect(sent.records[0]!.Contacts.records[0].attributes).toEqual({ type: "Contact", referenceId: "c1" });
    expect(ok.hasErrors).toBe(false);
    answer(() => ({
      status: 400,
      body: {
        hasErrors: true,
        results: [
          {
            referenceId: "ref1",
            errors: [
              {
                statusCode: "INVALID_EMAIL_ADDRESS",
                message: "Email: invalid email address: 123",
                fields: ["Email"],
              },
            ],
          },
        ],
      },
    }));
    const bad = await sf.composite.tree("Contact", [{ LastName: "x", Email: "123" }]);
    expect(bad.hasErrors).toBe(true);
    expect(bad.results[0]!.errors![0]!.statusCode).toBe("INVALID_EMAIL_ADDRESS");
    await expect(
      sf.composite.tree(
        "Account",
        Array.from({ length: 201 }, () => ({ Name: "x" })),
      ),
    ).rejects.toThrow(/at most 200/);
  });
});

describe("errors and secrets", () => {
  it("expired session is typed; the token never shows in the error", async () => {
    answer(() => ({ status: 401, body: fixture("restforce/expired_session_response.json") }));
    const error = await sf.sobjects.Account.get("001").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceExpiredSession);
    const dump = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
    expect(dump).not.toContain("CANARY-SECRET-TOKEN");
  });
  it("a write error keeps the recorded code and fields", async () => {
    answer(() => ({ status: 400, body: fixture("restforce/write_error_response.json") }));
    const error = await sf.sobjects.Account.create({ foo: "bar" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceMalformedRequest);
    expect((error as SalesforceMalformedRequest).errorCode).toBe("INVALID_FIELD");
  });
  it("oauth2: JSON when the response says so, else null (simple-salesforce E2/E3)", async () => {
    answer(() => ({ body: { user_id: "005xxxxxxxxxxxx", name: "Test", active: true } }));
    expect(await sf.oauth2("userinfo")).toEqual({ user_id: "005xxxxxxxxxxxx", name: "Test", active: true });
    expect(last().url).toBe("/services/oauth2/userinfo");
    answer(() => ({ body: "{}", contentType: "" }));
    expect(await sf.oauth2("revoke", { method: "POST", params: { token: "12345" } })).toBeNull();
    expect(last()).toMatchObject({ method: "POST", url: "/services/oauth2/revoke?token=12345" });
  });
  it("setPassword and isSandbox", async () => {
    answer(() => ({ status: 204 }));
    expect(await sf.setPassword("005X", "pw")).toBeNull();
    expect(last()).toMatchObject({
      method: "POST",
      url: `${B}sobjects/User/005X/password`,
      body: '{"NewPassword":"pw"}',
    });
    answer(() => ({ body: { totalSize: 1, done: true, records: [{ IsSandbox: true }] } }));
    expect(await sf.isSandbox()).toBe(true);
    expect(last().url).toBe(`${B}query?q=SELECT%20IsSandbox%20FROM%20Organization%20LIMIT%201`);
  });
});

describe("statements too long for a URL", () => {
  it("a SOQL or SOSL statement over Salesforce's URL limit is refused before anything is sent, saying what to do", async () => {
    answer(() => ({ status: 200, body: '{"totalSize":0,"done":true,"records":[]}' }));
    const ids = Array.from({ length: 3000 }, (_, i) => `'003${String(i).padStart(15, "0")}'`).join(",");
    const soql = `SELECT Id FROM Contact WHERE Id IN (${ids})`;
    await expect(sf.query(soql)).rejects.toMatchObject({
      name: "ConfigurationError",
      code: "ERR_STATEMENT_TOO_LONG",
    });
    await expect(sf.queryAll(soql)).rejects.toThrow(/HTTP 414\). Split a long IN list/);
    await expect(sf.search(`FIND {${"x".repeat(20_000)}}`)).rejects.toThrow(/search\(\): the statement is/);
    expect(server.requests).toHaveLength(0);
    // A long statement that fits is sent.
    await sf.query(`SELECT Id FROM Contact WHERE Id IN (${ids.slice(0, 8_000)}'x')`);
    expect(server.requests).toHaveLength(1);
  });
});
