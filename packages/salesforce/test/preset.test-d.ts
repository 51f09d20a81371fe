import type { ApexKeys } from "@sfkit/apex";
import type { BulkKeys } from "@sfkit/bulk";
import type { Client } from "@sfkit/core";
import type { RestApi, SObjectApi } from "@sfkit/rest";
import { describe, expectTypeOf, it } from "vitest";
import { Salesforce, type SalesforceOptions, SFType } from "../src/index.js";

interface Broker {
  Name?: string;
  Broker_Id__c?: number;
}

describe("the preset, in types", () => {
  const sf = new Salesforce({ sessionId: "S", instanceUrl: "https://acme.my.salesforce.com" });

  it("has the plugins' keys and the seed's attributes", () => {
    expectTypeOf(sf.query).toEqualTypeOf<RestApi["query"]>();
    expectTypeOf(sf.bulk).toEqualTypeOf<BulkKeys["bulk"]>();
    expectTypeOf(sf.bulk2).toEqualTypeOf<BulkKeys["bulk2"]>();
    expectTypeOf(sf.apexecute).toEqualTypeOf<ApexKeys["apexecute"]>();
    expectTypeOf(sf.sessionId).toEqualTypeOf<string | undefined>();
    expectTypeOf(sf.sfVersion).toEqualTypeOf<string>();
    expectTypeOf(sf.login).returns.resolves.toBeVoid();
  });

  it("sf.Contact is an sObject API, typed by a schema when given", () => {
    expectTypeOf(sf.Contact).toEqualTypeOf<SObjectApi>();
    const typed = new Salesforce<{ Broker__c: Broker }>({
      sessionId: "S",
      instanceUrl: "https://a.my.salesforce.com",
    });
    expectTypeOf(typed.Broker__c).toEqualTypeOf<SObjectApi<Broker>>();
    expectTypeOf(typed.sobjects.Broker__c).toEqualTypeOf<SObjectApi<Broker>>();
  });

  it("is structurally a client for plugins that need rest(), bulk() and apex()", () => {
    const needsRest = (client: Client<RestApi>) => client.query;
    needsRest(sf as unknown as Client<RestApi>);
    const extended = sf.extend((client: Client<RestApi>) => ({
      count: async () => (await client.query("x")).totalSize,
    }));
    expectTypeOf(extended.count).returns.resolves.toBeNumber();
    expectTypeOf(extended.Contact).toEqualTypeOf<SObjectApi>();
    expectTypeOf(extended.sessionId).toEqualTypeOf<string | undefined>();
  });

  it("refuses what is not there", () => {
    // @ts-expect-error a lower-case name is not an sObject
    sf.contact;
    // @ts-expect-error a plugin needing keys no plugin added does not compile
    sf.extend((client: Client<{ recordCount(): Promise<number> }>) => ({ x: client.recordCount }));
    // @ts-expect-error options are checked
    new Salesforce({ username: 1 });
    // @ts-expect-error SFType needs a session and an instance
    new SFType("Contact");
    expectTypeOf<SalesforceOptions["proxies"]>().toEqualTypeOf<
      { https?: string; http?: string } | undefined
    >();
  });
});
