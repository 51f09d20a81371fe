import { ConfigurationError } from "@sfkit/core";
import { describe, expect, it } from "vitest";
import { resolveLoginUrl } from "../src/index.js";

const PKG = "@sfkit/auth-soap";
const resolve = (domain?: string, loginUrl?: string) => resolveLoginUrl({ domain, loginUrl }, PKG);

describe("login domain", () => {
  it.each([
    [undefined, "https://login.salesforce.com"],
    ["login", "https://login.salesforce.com"],
    ["test", "https://test.salesforce.com"],
    ["TEST", "https://test.salesforce.com"],
    ["acme.my", "https://acme.my.salesforce.com"],
    ["acme--uat.sandbox.my", "https://acme--uat.sandbox.my.salesforce.com"],
    ["na15", "https://na15.salesforce.com"],
    ["acme.my.salesforce.com", "https://acme.my.salesforce.com"],
    ["acme-lightning.my.salesforce.com", "https://acme-lightning.my.salesforce.com"],
    ["https://acme.my.salesforce.com/", "https://acme.my.salesforce.com"],
    ["http://127.0.0.1:41234", "http://127.0.0.1:41234"],
    ["127.0.0.1:41234", "https://127.0.0.1:41234"],
    ["https://acme.my.site.com/customers/", "https://acme.my.site.com/customers"],
    ["https://login.salesforce.com:8443", "https://login.salesforce.com:8443"],
  ])("%s → %s", (domain, expected) => {
    expect(resolve(domain)).toBe(expected);
  });

  it("takes loginUrl like a URL domain, and both when they agree", () => {
    expect(resolve(undefined, "http://localhost:9999")).toBe("http://localhost:9999");
    expect(resolve("acme.my", "https://acme.my.salesforce.com")).toBe("https://acme.my.salesforce.com");
    expect(() => resolve("test", "https://acme.my.salesforce.com")).toThrow(/point at different hosts/);
  });

  it("F02: lightning and setup UI hosts are refused with the My Domain to use instead", () => {
    for (const [input, suggestion] of [
      ["https://acme.lightning.force.com", "https://acme.my.salesforce.com"],
      ["acme.lightning.force.com", "https://acme.my.salesforce.com"],
      ["https://acme--uat.sandbox.lightning.force.com/", "https://acme--uat.sandbox.my.salesforce.com"],
      ["https://acme.my.salesforce-setup.com", "https://acme.my.salesforce.com"],
      ["myco.develop.lightning.force.com", "https://myco.develop.my.salesforce.com"],
    ] as const) {
      let error: unknown;
      try {
        resolve(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/^\[@sfkit\/auth-soap\] .*UI host/);
      expect((error as Error).message).toContain(suggestion);
      expect((error as ConfigurationError).code).toBe("ERR_LIGHTNING_LOGIN_URL");
    }
  });

  it("refuses what cannot be a login host, before any request", () => {
    for (const bad of [
      "",
      "  ",
      "ftp://x.salesforce.com",
      "acme my",
      "https://u:p@acme.my.salesforce.com",
      "https://login.salesforce.com/services/Soap/u/59.0",
      "https://x.my.salesforce.com/?a=1",
      "http://login.salesforce.com",
      "http://acme.my.salesforce.com:80",
    ]) {
      expect(() => resolve(bad), bad).toThrow(ConfigurationError);
    }
    expect(() => resolve("acme my")).toThrow(/^\[@sfkit\/auth-soap\]/);
    expect(() => resolve("http://login.salesforce.com")).toThrow(/must use https/);
  });
});
