import {
  ConfigurationError,
  createClient,
  SalesforceAuthenticationFailed,
  SalesforceExpiredSession,
  SalesforceRefusedRequest,
} from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { soapLogin } from "../src/index.js";
import { recordingFetch, recordingLogger, rejection } from "./helpers.js";

let org: Emulator;
const odd = {
  username: "odd@sfkit.test",
  password: ` spaced & <odd> "quoted" 'single' pässwörd 密码 `,
  securityToken: "T&k<en>'\"",
};
const noToken = { username: "trusted@sfkit.test", password: "No-Token-Needed-1" };

beforeAll(async () => {
  org = await startEmulator({ port: 0, users: [odd, noToken] });
});
afterAll(async () => {
  await org.close();
});

const admin = () => org.findUser("admin@sfkit.test")!;

function clientFor(options: Parameters<typeof soapLogin>[0], extra: Record<string, unknown> = {}) {
  return createClient({ auth: soapLogin({ loginUrl: org.loginUrl, ...options }), retry: false, ...extra });
}

describe("soapLogin against the emulator", () => {
  it("token variant: logs in and the session works for REST calls", async () => {
    const { username, password, securityToken } = admin();
    const client = clientFor({ username, password, securityToken });
    const { status } = await client.request({ path: "limits" });
    expect(status).toBe(200);
    const session = await client.session();
    expect(session.instanceUrl).toBe(org.url);
    expect(client.instanceUrl).toBe(org.url);
    expect(session.userId).toBe(admin().userId);
    expect(session.organizationId).toBe(org.organizationId);
    expect(session.info).toMatchObject({ kind: "soap", passwordExpired: false, sandbox: false });
    await client.close();
  });

  it("sends the exact request: /Soap/u/<≤64.0>, text/xml, SOAPAction, escaped credentials, client tag", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientFor(
      {
        username: odd.username,
        password: odd.password,
        securityToken: odd.securityToken,
        clientId: "My <App>",
      },
      { fetch, apiVersion: "66.0" },
    );
    await client.request({ path: "limits" });
    const login = seen[0]!;
    expect(login.method).toBe("POST");
    expect(login.url).toBe(`${org.loginUrl}/services/Soap/u/64.0`);
    expect(login.headers["content-type"]).toBe("text/xml; charset=UTF-8");
    expect(login.headers["soapaction"]).toBe("login");
    expect(login.body).toContain("<urn:username>odd@sfkit.test</urn:username>");
    expect(login.body).toContain(
      "<urn:password> spaced &amp; &lt;odd&gt; &quot;quoted&quot; &apos;single&apos; pässwörd 密码 T&amp;k&lt;en&gt;&apos;&quot;</urn:password>",
    );
    expect(login.body).toContain("<urn:client>sfkit/My &lt;App&gt;</urn:client>");
    expect(login.body).not.toContain("LoginScopeHeader");
    // REST calls keep the client's own (newer) version
    expect(seen[1]!.url).toBe(`${org.url}/services/data/v66.0/limits`);
    await client.close();
  });

  it("F01: passwords with & < > \" ', spaces and non-ASCII log in (seeded and added users)", async () => {
    const integration = org.findUser("integration@sfkit.test")!;
    expect(integration.password).toMatch(/[&<>"']/);
    for (const user of [integration, odd]) {
      const client = clientFor(user);
      expect((await client.request({ path: "limits" })).status).toBe(200);
      await client.close();
    }
  });

  it("no-token variant: username and password alone", async () => {
    const client = clientFor(noToken);
    expect((await client.request({ path: "limits" })).status).toBe(200);
    await client.close();
  });

  it("organizationId variant: LoginScopeHeader with the org id", async () => {
    const { seen, fetch } = recordingFetch();
    const client = clientFor({ ...noToken, organizationId: org.organizationId }, { fetch });
    expect((await client.request({ path: "limits" })).status).toBe(200);
    expect(seen[0]!.body).toContain(
      `<urn:LoginScopeHeader><urn:organizationId>${org.organizationId}</urn:organizationId></urn:LoginScopeHeader>`,
    );
    await client.close();
  });

  it("IP allow-list: from a trusted address, username + password + organizationId without the token", async () => {
    const { username, password } = admin();
    org.trustedIpRanges = ["127.0.0.1"];
    try {
      const client = clientFor({ username, password, organizationId: org.organizationId.slice(0, 15) });
      expect((await client.request({ path: "limits" })).status).toBe(200);
      await client.close();
    } finally {
      org.trustedIpRanges = [];
    }
    const outside = clientFor({ username, password, organizationId: org.organizationId });
    const error = await rejection(outside.session());
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("LOGIN_MUST_USE_SECURITY_TOKEN");
    expect(error.message).toContain("organizationId from an allow-listed IP");
    await outside.close();
  });

  it("the client's clientId is the default client tag", async () => {
    const { seen, fetch } = recordingFetch();
    const client = createClient({
      auth: soapLogin({ ...noToken, loginUrl: org.loginUrl }),
      clientId: "Nightly Sync",
      fetch,
    });
    await client.session();
    expect(seen[0]!.body).toContain("<urn:client>sfkit/Nightly Sync</urn:client>");
    await client.close();
  });
});

describe("login failures are SalesforceAuthenticationFailed with Salesforce's code", () => {
  async function failure(options: Parameters<typeof soapLogin>[0]) {
    const client = clientFor(options);
    const error = await rejection(client.request({ path: "limits" }));
    await client.close();
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.message).toMatch(/^\[@sfkit\/auth-soap\] SOAP login of /);
    return error;
  }

  it("wrong password", async () => {
    const { username, securityToken } = admin();
    const error = await failure({ username, password: "wrong", securityToken });
    expect(error.errorCode).toBe("INVALID_LOGIN");
    expect(error.code).toBe("INVALID_LOGIN");
    expect(error.status).toBe(500);
    expect(error.message).toContain("Invalid username, password, security token; or user locked out.");
    expect(error.message).toContain("securityToken");
  });

  it("wrong security token", async () => {
    const { username, password } = admin();
    expect((await failure({ username, password, securityToken: "WRONGTOKEN" })).errorCode).toBe(
      "INVALID_LOGIN",
    );
  });

  it("missing security token", async () => {
    const { username, password } = admin();
    expect((await failure({ username, password })).errorCode).toBe("LOGIN_MUST_USE_SECURITY_TOKEN");
  });

  it("unknown user", async () => {
    expect((await failure({ username: "nobody@sfkit.test", password: "x" })).errorCode).toBe("INVALID_LOGIN");
  });

  it("wrong organization id", async () => {
    const error = await failure({ ...noToken, organizationId: "00D000000000001AAA" });
    expect(error.errorCode).toBe("INVALID_LOGIN");
  });

  it("locked user", async () => {
    const locked = org.findUser("locked@sfkit.test")!;
    const error = await failure(locked);
    expect(error.errorCode).toBe("PASSWORD_LOCKOUT");
    expect(error.message).toMatch(/locked out/);
  });

  it("expired password: reported clearly, or the restricted session when asked for", async () => {
    const expired = org.findUser("expired@sfkit.test")!;
    const error = await failure(expired);
    expect(error.errorCode).toBe("INVALID_OPERATION_WITH_EXPIRED_PASSWORD");
    expect(error.message).toMatch(/password has expired/);
    const client = clientFor({ ...expired, allowExpiredPassword: true });
    expect((await client.session()).info).toMatchObject({ passwordExpired: true });
    const refused = await rejection(client.request({ path: "limits" }));
    expect(refused).toBeInstanceOf(SalesforceRefusedRequest);
    expect(refused.errorCode).toBe("INVALID_OPERATION_WITH_EXPIRED_PASSWORD");
    await client.close();
  });

  it("a maintenance page instead of a fault: the status as code, the page's text, no HTML", async () => {
    org.faults.next({ path: "/services/Soap/u/", html: true });
    const { username, password, securityToken } = admin();
    const error = await failure({ username, password, securityToken });
    expect(error.errorCode).toBe("503");
    expect(error.message).toContain("Salesforce is down for maintenance");
    expect(error.message).not.toMatch(/<\/?[a-z]+/i);
  });

  it("SOAP login turned off in the org: points to OAuth", async () => {
    const closed = await startEmulator({ port: 0, soapLoginDisabled: true });
    try {
      const { username, password, securityToken } = closed.users[0]!;
      const client = createClient({
        auth: soapLogin({ username, password, securityToken, loginUrl: closed.loginUrl }),
      });
      const error = await rejection(client.session());
      expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
      expect(error.errorCode).toBe("INVALID_OPERATION");
      expect(error.message).toContain("@sfkit/auth-oauth");
      await client.close();
    } finally {
      await closed.close();
    }
  });

  it("a login version of 65.0 or more is refused before any request", () => {
    expect(() => soapLogin({ ...noToken, loginApiVersion: "65.0" })).toThrow(ConfigurationError);
    expect(() => soapLogin({ ...noToken, loginApiVersion: 66 })).toThrow(/SOAP login\(\) from API 65\.0/);
    expect(soapLogin({ ...noToken, loginApiVersion: "v58" }).kind).toBe("soap");
  });
});

describe("F02: lightning login URLs and redirects", () => {
  it("a *.lightning.force.com login URL is refused before any request, with the My Domain to use", () => {
    const before = org.stats.requests;
    expect(() => soapLogin({ ...noToken, domain: "https://acme.lightning.force.com" })).toThrow(
      /https:\/\/acme\.my\.salesforce\.com/,
    );
    expect(() => soapLogin({ ...noToken, loginUrl: "acme--uat.sandbox.lightning.force.com" })).toThrow(
      ConfigurationError,
    );
    expect(soapLogin({ ...noToken, domain: "acme-lightning.my" }).loginUrl).toBe(
      "https://acme-lightning.my.salesforce.com",
    );
    expect(org.stats.requests).toBe(before);
  });

  it.each([302, 301, 303])("a %s redirect of the login POST is never re-sent as a GET", async (status) => {
    const { seen, fetch } = recordingFetch();
    org.faults.next({
      path: "/services/Soap/u/",
      status,
      headers: { Location: `${org.url}/lightning/page/home` },
      body: "",
    });
    const client = clientFor(noToken, { fetch });
    const error = await rejection(client.session());
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe(String(status));
    expect(error.message).toMatch(/redirect/);
    expect(error.message).toMatch(/My Domain/);
    expect(seen.map((r) => r.method)).toEqual(["POST"]);
    await client.close();
  });
});

describe("a 307 / 308 redirect keeps the POST and its body", () => {
  it.each([307, 308])("%s: the login is re-sent to the new location as the same POST", async (status) => {
    const { seen, fetch } = recordingFetch();
    org.faults.next({
      path: "/services/Soap/u/",
      status,
      headers: { Location: `${org.loginUrl}/services/Soap/u/64.0?moved=1` },
      body: "",
    });
    const client = clientFor(noToken, { fetch });
    expect((await client.request({ path: "limits" })).status).toBe(200);
    expect(seen.slice(0, 2).map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(seen[1]!.url).toBe(`${org.loginUrl}/services/Soap/u/64.0?moved=1`);
    expect(seen[1]!.body).toBe(seen[0]!.body);
    expect(org.faults.pending).toBe(0);
    await client.close();
  });
});

describe("sessions that expire (F03 and its kind)", () => {
  it("a session that expires mid-work is refreshed once by logging in again, and the call succeeds", async () => {
    const { logger, lines } = recordingLogger();
    const { username, password, securityToken } = admin();
    const client = clientFor({ username, password, securityToken }, { logger });
    const first = await client.session();
    await client.request({ path: "limits" });
    org.sessions.expire(first.accessToken);
    expect((await client.request({ path: "limits" })).status).toBe(200);
    const second = await client.session();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(lines.filter((l) => l.includes("SOAP login of")).length).toBe(2);
    await client.close();
  });

  it("concurrent calls that see the same expiry share one login", async () => {
    const { logger, lines } = recordingLogger();
    const client = clientFor(noToken, { logger });
    await client.request({ path: "limits" });
    org.sessions.expire((await client.session()).accessToken);
    const results = await Promise.all(Array.from({ length: 6 }, () => client.request({ path: "limits" })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(lines.filter((l) => l.includes("SOAP login of")).length).toBe(2);
    await client.close();
  });

  it("a refresh that fails stops with the login's error, and nothing loops", async () => {
    const user = { username: "rotated@sfkit.test", password: "Before-1" };
    org.addUser(user);
    const { logger, lines } = recordingLogger();
    const client = clientFor(user, { logger });
    await client.request({ path: "limits" });
    org.findUser(user.username)!.password = "After-2";
    org.sessions.expire((await client.session()).accessToken);
    const error = await rejection(client.request({ path: "limits" }));
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect(error.errorCode).toBe("INVALID_LOGIN");
    expect(lines.filter((l) => l.includes("SOAP login of")).length).toBe(2);
    await client.close();
  });

  it("a 401 that logging in again cannot fix is reported without a refresh, with the server's code and message", async () => {
    const { logger, lines } = recordingLogger();
    const client = clientFor(noToken, { logger });
    await client.session();
    org.faults.next({
      path: "/limits",
      status: 401,
      times: 50,
      body: [
        { message: "This session is not valid for use with the REST API", errorCode: "INVALID_SESSION_ID" },
      ],
    });
    const error = await rejection(client.request({ path: "limits" }));
    org.faults.clear();
    expect(error).toBeInstanceOf(SalesforceExpiredSession);
    expect(error.errorCode).toBe("INVALID_SESSION_ID");
    expect(error.message).toContain("This session is not valid for use with the REST API");
    expect(lines.filter((l) => l.includes("SOAP login of")).length).toBe(1); // no refresh: it cannot help
    await client.close();
  });
});

describe("logout", () => {
  it("ends the session on the server; a second logout is harmless", async () => {
    const client = clientFor(noToken);
    const session = await client.session();
    await client.logout();
    const direct = createClient({ instanceUrl: org.url, sessionId: session.accessToken, retry: false });
    expect(await rejection(direct.request({ path: "limits" }))).toBeInstanceOf(SalesforceExpiredSession);
    await client.logout();
    // the client logs in again on its next call
    expect((await client.request({ path: "limits" })).status).toBe(200);
    await direct.close();
    await client.close();
  });

  it("logging out a session that already ended is not an error", async () => {
    const client = clientFor(noToken);
    org.sessions.expire((await client.session()).accessToken);
    await expect(client.logout()).resolves.toBeUndefined();
    await client.close();
  });
});
