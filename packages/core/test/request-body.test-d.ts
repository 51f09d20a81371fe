import { describe, expectTypeOf, it } from "vitest";
import { type RequestBody, createClient } from "../src/index.js";

interface Account {
  Name: string;
  Industry?: string;
}

describe("request bodies in types", () => {
  it("accepts values typed by an interface (no index signature needed)", () => {
    const account: Account = { Name: "Acme" };
    expectTypeOf(account).toMatchTypeOf<RequestBody>();
    const client = createClient({ instanceUrl: "https://acme.my.salesforce.com", sessionId: "x" });
    client.request({ method: "POST", path: "sobjects/Account", body: account });
    client.request({ method: "POST", path: "composite/sobjects", body: { records: [account] } });
  });

  it("still refuses what cannot be a body", () => {
    const client = createClient({ instanceUrl: "https://acme.my.salesforce.com", sessionId: "x" });
    // @ts-expect-error: a number is not a request body (serialise it yourself)
    client.request({ method: "POST", path: "x", body: 1 });
  });
});
