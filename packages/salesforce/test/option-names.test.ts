import { ConfigurationError } from "@sfkit/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { OPTION_NAMES } from "../src/option-names.js";
import { Salesforce, type SalesforceOptions } from "../src/index.js";

const login = { username: "u@example.com", password: "Canary-Pass-1", loginUrl: "http://127.0.0.1:1" };

describe("option names spelt as simple-salesforce spells them", () => {
  it("the list of names is every option of SalesforceOptions", () => {
    expectTypeOf<Exclude<keyof SalesforceOptions, (typeof OPTION_NAMES)[number]>>().toEqualTypeOf<never>();
    expectTypeOf<Exclude<(typeof OPTION_NAMES)[number], keyof SalesforceOptions>>().toEqualTypeOf<never>();
  });

  it.each([
    ["security_token", "securityToken"],
    ["securitytoken", "securityToken"],
    ["session_id", "sessionId"],
    ["instance_url", "instanceUrl"],
    ["consumer_key", "consumerKey"],
    ["privatekey_file", "privateKeyFile"],
    ["sf_version", "version"],
    ["Username", "username"],
  ])("%s is a ConfigurationError that names %s, before any request, without the value", (key, meant) => {
    const make = () => new Salesforce({ ...login, [key]: "Canary-Secret-Value" } as SalesforceOptions);
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(`new Salesforce() has no option "${key}": did you mean "${meant}"?`);
    try {
      make();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("Canary");
    }
  });

  it("keys that look like no option are left alone, and the right names work", async () => {
    const right = new Salesforce({ ...login, securityToken: "t" });
    const other = new Salesforce({ ...login, appName: "x" } as SalesforceOptions);
    expect(right.authType).toBe("password");
    expect(other.authType).toBe("password");
    await right.close();
    await other.close();
  });
});
