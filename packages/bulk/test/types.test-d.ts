import { createClient } from "@sfkit/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type Bulk,
  type Bulk2,
  type Bulk2IngestResult,
  type Bulk2Object,
  type BulkObject,
  type BulkResult,
  bulk,
} from "../src/index.js";

const sf = createClient({ instanceUrl: "https://acme.my.salesforce.com", sessionId: "x" }).extend(bulk());

describe("bulk() types", () => {
  it("adds sf.bulk and sf.bulk2", () => {
    expectTypeOf(sf.bulk).toEqualTypeOf<Bulk>();
    expectTypeOf(sf.bulk2).toEqualTypeOf<Bulk2>();
    expectTypeOf(bulk().pluginName).toEqualTypeOf<"bulk">();
  });

  it("standard objects and sobject(name) are always defined", () => {
    expectTypeOf(sf.bulk2.Contact).toEqualTypeOf<Bulk2Object>();
    expectTypeOf(sf.bulk2.sobject("Widget__c")).toEqualTypeOf<Bulk2Object>();
    expectTypeOf(sf.bulk.Account).toEqualTypeOf<BulkObject>();
    expectTypeOf(sf.bulk.sobject("Widget__c")).toEqualTypeOf<BulkObject>();
  });

  it("results are typed", () => {
    expectTypeOf(sf.bulk.Contact.insert([{ LastName: "x" }])).resolves.toEqualTypeOf<BulkResult[]>();
    expectTypeOf(sf.bulk2.Contact.insert({ records: [] })).resolves.toEqualTypeOf<Bulk2IngestResult>();
    expectTypeOf(sf.bulk2.Account.query("SELECT Id FROM Account")).toEqualTypeOf<
      AsyncGenerator<Record<string, string>>
    >();
    // upsert needs the external id field
    // @ts-expect-error externalIdField is required
    void sf.bulk2.Contact.upsert({ records: [] });
  });
});
