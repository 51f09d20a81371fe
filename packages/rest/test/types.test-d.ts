import { createClient } from "@sfkit/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type QueryResult,
  type SObjectApi,
  type SObjectRecord,
  type SearchResult,
  rest,
} from "../src/index.js";

interface Contact {
  Id?: string;
  LastName: string;
  Email?: string | null;
}
interface Property {
  Name: string;
  Price__c: number;
}

describe("rest() typing", () => {
  const sf = createClient({ instanceUrl: "http://127.0.0.1:1", sessionId: "x" }).extend(
    rest<{ Property__c: Property }>(),
  );

  it("adds the REST keys to the client", () => {
    expectTypeOf(sf.query("SELECT Id FROM Account")).resolves.toEqualTypeOf<QueryResult<SObjectRecord>>();
    expectTypeOf(sf.search("FIND {x}")).resolves.toEqualTypeOf<SearchResult<SObjectRecord> | null>();
    expectTypeOf(sf.sobjects.Account).toEqualTypeOf<SObjectApi<SObjectRecord>>();
    expectTypeOf(rest().pluginName).toEqualTypeOf<"rest">();
  });

  it("narrows records with a generic or a schema map", async () => {
    const contact = await sf.sobject<Contact>("Contact").get("003");
    expectTypeOf(contact.LastName).toEqualTypeOf<string>();
    expectTypeOf(sf.sobjects.Property__c).toEqualTypeOf<SObjectApi<Property>>();
    expectTypeOf(sf.sobjects.Property__c.create).parameter(0).toHaveProperty("Price__c");
    const page = await sf.query<Contact>("SELECT LastName FROM Contact");
    expectTypeOf(page.records).toEqualTypeOf<Contact[]>();
    expectTypeOf(sf.sobjects.Contact.update).returns.resolves.toEqualTypeOf<number>();
  });

  it("a plugin that needs rest can say so", () => {
    const needsRest = (client: { query: typeof sf.query }) => ({
      count: () => client.query("SELECT COUNT() FROM Account"),
    });
    const extended = sf.extend(needsRest);
    expectTypeOf(extended.count()).resolves.toEqualTypeOf<QueryResult<SObjectRecord>>();
  });
});
