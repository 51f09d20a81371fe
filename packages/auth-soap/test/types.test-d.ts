import { type AuthStrategy, createClient } from "@sfkit/core";
import { describe, expectTypeOf, it } from "vitest";
import { type SalesforceLoginResult, salesforceLogin, soapLogin } from "../src/index.js";

describe("auth-soap types", () => {
  it("soapLogin is an AuthStrategy that createClient takes", () => {
    const strategy = soapLogin({ username: "u", password: "p", securityToken: "t" });
    expectTypeOf(strategy).toMatchTypeOf<AuthStrategy>();
    expectTypeOf(strategy.kind).toEqualTypeOf<"soap">();
    createClient({ auth: strategy });
    // @ts-expect-error password is required
    soapLogin({ username: "u" });
    // @ts-expect-error a typo in an option name is caught
    soapLogin({ username: "u", password: "p", securityTocken: "t" });
  });

  it("salesforceLogin gives sessionId, instance and instanceUrl", () => {
    expectTypeOf(salesforceLogin).returns.resolves.toEqualTypeOf<SalesforceLoginResult>();
    expectTypeOf<SalesforceLoginResult["sessionId"]>().toEqualTypeOf<string>();
    expectTypeOf<SalesforceLoginResult["instance"]>().toEqualTypeOf<string>();
    expectTypeOf<SalesforceLoginResult["instanceUrl"]>().toEqualTypeOf<string>();
  });
});
