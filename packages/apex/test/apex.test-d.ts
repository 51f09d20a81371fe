import { type Client, type SalesforceResponse, createClient } from "@sfkit/core";
import { describe, expectTypeOf, it } from "vitest";
import { type ApexKeys, apex } from "../src/index.js";

interface Account {
  Id: string;
  Name: string;
}

describe("apex() in types", () => {
  const sf = createClient({ instanceUrl: "https://acme.my.salesforce.com", sessionId: "x" }).extend(apex());

  it("adds apexecute and apex to the client", () => {
    expectTypeOf(sf).toMatchTypeOf<Client<ApexKeys>>();
    expectTypeOf(apex().pluginName).toEqualTypeOf<"apex">();
  });

  it("is generic over the response type, unknown by default", () => {
    expectTypeOf(sf.apex.get<Account[]>("accounts")).toEqualTypeOf<Promise<Account[]>>();
    expectTypeOf(sf.apex.get("accounts")).toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(sf.apex.post<{ id: string }>("accounts", { Name: "Acme" })).toEqualTypeOf<
      Promise<{ id: string }>
    >();
    expectTypeOf(sf.apexecute<number>("Count", { method: "POST", data: [1, 2] })).toEqualTypeOf<
      Promise<number>
    >();
    expectTypeOf(sf.apex.request<Account>({ path: ["Account", "001"] })).toEqualTypeOf<
      Promise<SalesforceResponse<Account>>
    >();
  });

  it("takes the bodies and options it documents, and nothing else", () => {
    sf.apex.put("x", Buffer.from("a"), { headers: { "Content-Type": "application/pdf" } });
    sf.apex.patch("x", 0);
    sf.apex.delete(["Account", "001"], { params: { hard: true } });
    sf.apexecute("x", { method: "patch", data: "<a/>", responseType: "text" });
    const account: Account = { Id: "001", Name: "Acme" };
    sf.apex.post("accounts", account); // interface-typed values are bodies too
    sf.apexecute("accounts", { method: "POST", data: [account] });
    expectTypeOf(sf.apexecute<string>("User/Activity", "POST", { a: 1 })).toEqualTypeOf<Promise<string>>();
    // @ts-expect-error: an unknown HTTP method
    sf.apexecute("x", { method: "TRACE" });
    // @ts-expect-error: responseType is one of auto/json/text/buffer/stream
    sf.apex.get("x", { responseType: "xml" });
    // @ts-expect-error: a Symbol is not a body
    sf.apex.post("x", Symbol("no"));
  });
});
