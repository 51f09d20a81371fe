import { describe, expectTypeOf, it } from "vitest";
import { type Client, type Plugin, createClient } from "../src/index.js";

interface QueryApi {
  query(soql: string): Promise<{ totalSize: number }>;
}
const queryPlugin: Plugin<{}, QueryApi> = () => ({ query: async () => ({ totalSize: 0 }) });

/** Needs QueryApi from a plugin added earlier. */
const countPlugin: Plugin<QueryApi, { count(object: string): Promise<number> }> = (client) => ({
  count: async (object) => (await client.query(`SELECT COUNT() FROM ${object}`)).totalSize,
});

describe("the plugin interface, in types", () => {
  it("extend adds typed keys", () => {
    const client = createClient({}).extend(queryPlugin);
    expectTypeOf(client.query).toEqualTypeOf<(soql: string) => Promise<{ totalSize: number }>>();
    expectTypeOf(client.request).toBeFunction();
    expectTypeOf(client).toMatchTypeOf<Client<QueryApi>>();
  });

  it("unknown keys stay errors", () => {
    const client = createClient({}).extend(queryPlugin);
    // @ts-expect-error: no plugin added `search`
    client.search;
  });

  it("a plugin whose dependency is missing does not compile", () => {
    // @ts-expect-error: countPlugin needs QueryApi, which no plugin added
    createClient({}).extend(countPlugin);
    const ok = createClient({}).extend(queryPlugin).extend(countPlugin);
    expectTypeOf(ok.count).returns.resolves.toBeNumber();
  });

  it("a plugin may not return the client's own keys", () => {
    // @ts-expect-error: `request` belongs to the client
    createClient({}).extend(() => ({ request: 1 }));
  });
});
