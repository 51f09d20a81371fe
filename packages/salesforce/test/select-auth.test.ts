import { generateKeyPairSync } from "node:crypto";
import { ConfigurationError } from "@sfkit/core";
import { describe, expect, it } from "vitest";
import { Salesforce, selectAuth } from "../src/index.js";

// Pure tests of which login flow each option set selects (no HTTP is sent by construction).
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

describe("selectAuth: simple-salesforce's order, first match wins", () => {
  const cases: Array<[string, Parameters<typeof selectAuth>[0], string, string]> = [
    [
      "username + password + securityToken",
      { username: "u@x.com", password: "p", securityToken: "t" },
      "password",
      "soap",
    ],
    [
      "SOAP wins when OAuth options are given too",
      { username: "u@x.com", password: "p", securityToken: "t", consumerKey: "k", consumerSecret: "s" },
      "password",
      "soap",
    ],
    [
      "sessionId + instanceUrl",
      { sessionId: "S", instanceUrl: "https://acme.my.salesforce.com" },
      "direct",
      "session",
    ],
    ["sessionId + instance", { sessionId: "S", instance: "acme.my.salesforce.com" }, "direct", "session"],
    [
      "accessToken + instanceUrl (jsforce's name)",
      { accessToken: "S", instanceUrl: "https://a.my.salesforce.com" },
      "direct",
      "session",
    ],
    [
      "username + password + organizationId",
      { username: "u@x.com", password: "p", organizationId: "00D000000000001AAA" },
      "ipfilter",
      "soap",
    ],
    [
      "username + password + consumerKey + consumerSecret",
      { username: "u@x.com", password: "p", consumerKey: "k", consumerSecret: "s" },
      "oauth-password",
      "oauth-password",
    ],
    [
      "username + consumerKey + privateKey",
      { username: "u@x.com", consumerKey: "k", privateKey: pem },
      "jwt-bearer",
      "oauth-jwt",
    ],
    [
      "consumerKey + consumerSecret + My Domain",
      { consumerKey: "k", consumerSecret: "s", domain: "acme.my" },
      "client-credentials",
      "oauth-client-credentials",
    ],
    [
      "refreshToken + consumerKey",
      { refreshToken: "R", consumerKey: "k" },
      "refresh-token",
      "oauth-refresh-token",
    ],
    [
      "refreshToken wins over a direct session (the session is used until it expires)",
      { refreshToken: "R", consumerKey: "k", sessionId: "S", instanceUrl: "https://a.my.salesforce.com" },
      "refresh-token",
      "oauth-refresh-token",
    ],
    [
      "username + password alone (trusted IP ranges)",
      { username: "u@x.com", password: "p" },
      "password",
      "soap",
    ],
  ];
  for (const [name, options, type, kind] of cases) {
    it(name, () => {
      const selected = selectAuth(options);
      expect(selected.type).toBe(type);
      expect(selected.strategy.kind).toBe(kind);
      const sf = new Salesforce(options);
      expect(sf.authType).toBe(type);
    });
  }

  it("a custom strategy is used as given", () => {
    const auth = {
      kind: "mine",
      login: async () => ({ accessToken: "x", instanceUrl: "https://a.my.salesforce.com" }),
    };
    expect(selectAuth({ auth, username: "u", password: "p", securityToken: "t" })).toMatchObject({
      type: "custom",
      strategy: auth,
    });
  });

  it("a direct session knows its instance and session before any call", () => {
    const sf = new Salesforce({ sessionId: "SESSION", instance: "na15.salesforce.com", version: 45 });
    expect(sf.sessionId).toBe("SESSION");
    expect(sf.sfInstance).toBe("na15.salesforce.com");
    expect(sf.sfVersion).toBe("45.0");
    expect(sf.baseUrl).toBe("https://na15.salesforce.com/services/data/v45.0/");
    expect(sf.bulkUrl).toBe("https://na15.salesforce.com/services/async/45.0/");
    expect(sf.bulk2Url).toBe("https://na15.salesforce.com/services/data/v45.0/jobs/");
    expect(sf.apexUrl).toBe("https://na15.salesforce.com/services/apexrest/");
    expect(sf.toolingUrl).toBe("https://na15.salesforce.com/services/data/v45.0/tooling/");
    expect(sf.metadataUrl).toBe("https://na15.salesforce.com/services/Soap/m/45.0/");
    expect(sf.oauth2Url).toBe("https://na15.salesforce.com/services/oauth2/");
    // F23: reading the API usage before any response is safe.
    expect(sf.apiUsage).toBeUndefined();
  });

  it("a login flow knows nothing before it logs in, and says so without throwing", () => {
    const sf = new Salesforce({ username: "u@x.com", password: "p", securityToken: "t" });
    expect(sf.sessionId).toBeUndefined();
    expect(sf.sfInstance).toBeUndefined();
    expect(sf.baseUrl).toBeUndefined();
    expect(sf.apiUsage).toBeUndefined();
    expect(sf.sfVersion).toMatch(/^\d+\.0$/);
  });

  it("instance accepts a full URL (simple-salesforce #151), keeping a non-default port (B2)", () => {
    expect(new Salesforce({ sessionId: "S", instance: "https://cs52.salesforce.com" }).sfInstance).toBe(
      "cs52.salesforce.com",
    );
    const sf = new Salesforce({ sessionId: "S", instanceUrl: "https://myorg.my.salesforce.com:8443/" });
    expect(sf.sfInstance).toBe("myorg.my.salesforce.com:8443");
    expect(
      new Salesforce({ sessionId: "S", instanceUrl: "https://myorg.my.salesforce.com:443" }).sfInstance,
    ).toBe("myorg.my.salesforce.com");
  });

  it("versions are normalised to NN.0 and bad ones refused (B1, F25)", () => {
    for (const version of [45, "45", "v45.0", "45.0"]) {
      expect(new Salesforce({ sessionId: "S", instance: "a.my.salesforce.com", version }).sfVersion).toBe(
        "45.0",
      );
    }
    expect(() => new Salesforce({ sessionId: "S", instance: "a.my.salesforce.com", version: "4.2" })).toThrow(
      ConfigurationError,
    );
    expect(
      () => new Salesforce({ sessionId: "S", instance: "a.my.salesforce.com", version: 45, apiVersion: 46 }),
    ).toThrow(/same option/);
  });

  const refused: Array<[string, Parameters<typeof selectAuth>[0], RegExp]> = [
    ["nothing", {}, /needs login information/],
    ["sessionId without instance", { sessionId: "S" }, /without instanceUrl/],
    ["username alone", { username: "u@x.com" }, /username was given without password/],
    ["username and token without password", { username: "u@x.com", securityToken: "t" }, /without password/],
    ["password alone", { password: "p" }, /password was given without username/],
    ["an incomplete OAuth set", { username: "u@x.com", password: "p", consumerKey: "k" }, /no complete set/],
    [
      "client credentials on login.salesforce.com (A14)",
      { consumerKey: "k", consumerSecret: "s" },
      /My Domain/,
    ],
    [
      "client credentials on test.salesforce.com (A14)",
      { consumerKey: "k", consumerSecret: "s", domain: "test" },
      /does not work on test\.salesforce\.com/,
    ],
    ["refreshToken without consumerKey", { refreshToken: "R" }, /needs consumerKey/],
    [
      "sandbox with domain",
      { username: "u", password: "p", securityToken: "t", sandbox: true, domain: "test" },
      /not both/,
    ],
    [
      "instance and instanceUrl together",
      { sessionId: "S", instance: "a.my.salesforce.com", instanceUrl: "https://b.my.salesforce.com" },
      /not both/,
    ],
    [
      "a lightning UI host as domain (F02)",
      { username: "u", password: "p", securityToken: "t", domain: "acme.lightning.force.com" },
      /acme\.my\.salesforce\.com/,
    ],
  ];
  for (const [name, options, message] of refused) {
    it(`refuses ${name} with a ConfigurationError before any request`, () => {
      expect(() => new Salesforce(options)).toThrow(ConfigurationError);
      expect(() => new Salesforce(options)).toThrow(message);
    });
  }

  it("sandbox: true is domain test (simple-salesforce 0.77)", () => {
    const selected = selectAuth({ username: "u", password: "p", securityToken: "t", sandbox: true });
    expect((selected.strategy as { loginUrl?: string }).loginUrl).toBe("https://test.salesforce.com");
  });

  it("domain picks the login host (A1, A2)", () => {
    const host = (domain?: string) =>
      (
        selectAuth({ username: "u", password: "p", securityToken: "t", ...(domain ? { domain } : {}) })
          .strategy as unknown as {
          loginUrl: string;
        }
      ).loginUrl;
    expect(host()).toBe("https://login.salesforce.com");
    expect(host("test")).toBe("https://test.salesforce.com");
    expect(host("testdomain.my")).toBe("https://testdomain.my.salesforce.com");
    expect(host("acme--uat.sandbox.my")).toBe("https://acme--uat.sandbox.my.salesforce.com");
  });
});
