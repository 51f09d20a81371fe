// Network Access (trusted IP ranges): the organizationId / IP allow-list login without a token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Org } from "../src/index.js";
import { isTrustedAddress } from "../src/auth/trusted-ips.js";
import { DEFAULT_CONNECTED_APP } from "../src/index.js";
import { soapLogin } from "./helpers.js";

let org: Org;
beforeAll(async () => {
  org = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await org.close();
});

const code = (xml: string) => /<sf:exceptionCode>([^<]+)</.exec(xml)?.[1];

describe("trusted IP ranges", () => {
  it("matches addresses, CIDR and start-end ranges, and IPv4-mapped IPv6", () => {
    expect(isTrustedAddress(["127.0.0.1"], "127.0.0.1")).toBe(true);
    expect(isTrustedAddress(["127.0.0.1"], "::ffff:127.0.0.1")).toBe(true);
    expect(isTrustedAddress(["10.0.0.0/8"], "10.200.3.4")).toBe(true);
    expect(isTrustedAddress(["10.0.0.0/8"], "11.0.0.1")).toBe(false);
    expect(isTrustedAddress(["192.168.1.10-192.168.1.20"], "192.168.1.15")).toBe(true);
    expect(isTrustedAddress(["192.168.1.10-192.168.1.20"], "192.168.1.21")).toBe(false);
    expect(isTrustedAddress(["::1"], "::1")).toBe(true);
    expect(isTrustedAddress([], "127.0.0.1")).toBe(false);
    expect(isTrustedAddress(["127.0.0.1"], undefined)).toBe(false);
  });

  it("refuses a range it cannot read", async () => {
    await expect(startEmulator({ port: 0, trustedIpRanges: ["localhost"] })).rejects.toThrow(
      /trustedIpRanges/,
    );
  });

  it("from an untrusted address the token is required; from a trusted one the password alone works", async () => {
    const u = org.users[0]!;
    org.trustedIpRanges = [];
    const untrusted = await soapLogin(org, u.username, u.password, { orgId: org.organizationId });
    expect(untrusted.status).toBe(500);
    expect(code(untrusted.text)).toBe("LOGIN_MUST_USE_SECURITY_TOKEN");

    org.trustedIpRanges = ["127.0.0.0/8"];
    const trusted = await soapLogin(org, u.username, u.password, { orgId: org.organizationId });
    expect(trusted.status).toBe(200);
    // the token is still accepted, a wrong password still is not, and the org id is still checked
    expect((await soapLogin(org, u.username, u.password + u.securityToken)).status).toBe(200);
    expect(code((await soapLogin(org, u.username, "wrong")).text)).toBe("INVALID_LOGIN");
    expect(code((await soapLogin(org, u.username, u.password, { orgId: "00D000000000001" })).text)).toBe(
      "INVALID_LOGIN",
    );
    org.trustedIpRanges = [];
  });

  it("applies to the OAuth password grant too", async () => {
    const u = org.users[0]!;
    const grant = () =>
      fetch(`${org.loginUrl}/services/oauth2/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          client_id: DEFAULT_CONNECTED_APP.consumerKey,
          client_secret: DEFAULT_CONNECTED_APP.consumerSecret,
          username: u.username,
          password: u.password,
        }),
      });
    expect((await grant()).status).toBe(400);
    org.trustedIpRanges = ["127.0.0.1"];
    expect((await grant()).status).toBe(200);
    org.trustedIpRanges = [];
  });
});
