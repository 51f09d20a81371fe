import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { type PreparedRequest, SalesforceAuthenticationFailed } from "@sfkit/core";
import { startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Salesforce, salesforceLogin } from "../src/index.js";

// Every constructor form of simple-salesforce, against the emulator over loopback HTTP.

type Org = Awaited<ReturnType<typeof startEmulator>>;
let org: Org;
let tmp: string;
const open: Array<{ close(): Promise<void> }> = [];
const REFRESH_APP = {
  name: "Refreshing app",
  consumerKey: "3MVG9refreshingAppConsumerKey",
  consumerSecret: "REFRESHINGAPPSECRET",
  issueRefreshTokens: true,
};
const PLAIN_USER = { username: "trusted@sfkit.test", password: "Trusted-Passw0rd" };

function keep<T extends { close(): Promise<void> }>(sf: T): T {
  open.push(sf);
  return sf;
}

function admin() {
  const user = org.users.find((u) => u.username === "admin@sfkit.test") ?? org.users[0]!;
  return user;
}

function app() {
  return org.connectedApps[0]!;
}

/** Every form must end up able to query the org. */
async function works(sf: Salesforce): Promise<void> {
  const result = await sf.query<{ Id: string }>("SELECT Id FROM User LIMIT 1");
  expect(result.records).toHaveLength(1);
  expect(sf.sessionId).toEqual(expect.any(String));
  expect(sf.baseUrl).toBe(`${org.url}/services/data/v${sf.sfVersion}/`);
  expect(sf.sfInstance).toBe(new URL(org.url).host);
}

beforeAll(async () => {
  org = await startEmulator({ port: 0, users: [{ ...PLAIN_USER }], connectedApps: [REFRESH_APP] });
  tmp = mkdtempSync(join(tmpdir(), "sfkit-preset-"));
});

afterAll(async () => {
  for (const sf of open) await sf.close();
  await org?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("new Salesforce(...) logs in with every simple-salesforce form", () => {
  it("username + password + securityToken (SOAP), domain given as the login URL", async () => {
    const user = admin();
    const sf = keep(
      new Salesforce({
        username: user.username,
        password: user.password,
        securityToken: user.securityToken,
        domain: org.loginUrl,
      }),
    );
    expect(sf.sessionId).toBeUndefined();
    await works(sf);
    expect(sf.authType).toBe("password");
  });

  it("Salesforce.connect() logs in up front; loginUrl is the same as domain", async () => {
    const user = admin();
    const sf = keep(
      await Salesforce.connect({
        username: user.username,
        password: user.password,
        securityToken: user.securityToken,
        loginUrl: org.loginUrl,
      }),
    );
    expect(sf.sessionId).toEqual(expect.any(String));
    await works(sf);
  });

  it("username + password + organizationId (IP allow-list: LoginScopeHeader, no token)", async () => {
    // The emulator trusts no IP, so the user here is one that needs no token; the org id must match.
    const user = org.users.find((u) => u.username === PLAIN_USER.username)!;
    const sf = keep(
      new Salesforce({ ...PLAIN_USER, organizationId: user.organizationId, loginUrl: org.loginUrl }),
    );
    await works(sf);
    expect(sf.authType).toBe("ipfilter");
    const wrongOrg = keep(
      new Salesforce({ ...PLAIN_USER, organizationId: "00D000000000001AAA", loginUrl: org.loginUrl }),
    );
    await expect(wrongOrg.login()).rejects.toMatchObject({ errorCode: "INVALID_LOGIN" });
  });

  it("username + password alone, for a user who needs no token", async () => {
    const sf = keep(new Salesforce({ ...PLAIN_USER, loginUrl: org.loginUrl }));
    await works(sf);
  });

  it("sessionId + instanceUrl, and sessionId + instance: no login call", async () => {
    const user = admin();
    const login = await salesforceLogin({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    });
    expect(login.instance).toBe(new URL(org.url).host);
    const direct = keep(new Salesforce({ sessionId: login.sessionId, instanceUrl: org.url }));
    expect(direct.sessionId).toBe(login.sessionId);
    await works(direct);
    expect(direct.authType).toBe("direct");
    const byInstance = keep(new Salesforce({ sessionId: login.sessionId, instance: org.url }));
    await works(byInstance);
  });

  it("OAuth username-password flow: username + password + consumerKey + consumerSecret", async () => {
    const user = admin();
    const sf = keep(
      new Salesforce({
        username: user.username,
        password: user.password + user.securityToken,
        consumerKey: app().consumerKey,
        consumerSecret: app().consumerSecret,
        loginUrl: org.loginUrl,
      }),
    );
    await works(sf);
    expect(sf.authType).toBe("oauth-password");
  });

  it("OAuth JWT bearer flow with privateKey, and with privateKeyFile", async () => {
    const user = admin();
    const privateKey = app().privateKey!;
    const sf = keep(
      new Salesforce({
        username: user.username,
        consumerKey: app().consumerKey,
        privateKey,
        loginUrl: org.loginUrl,
      }),
    );
    await works(sf);
    expect(sf.authType).toBe("jwt-bearer");
    const file = join(tmp, "server.key");
    writeFileSync(file, privateKey);
    const fromFile = keep(
      new Salesforce({
        username: user.username,
        consumerKey: app().consumerKey,
        privateKeyFile: file,
        loginUrl: org.loginUrl,
      }),
    );
    await works(fromFile);
  });

  it("OAuth client credentials flow: consumerKey + consumerSecret + My Domain", async () => {
    const sf = keep(
      new Salesforce({
        consumerKey: app().consumerKey,
        consumerSecret: app().consumerSecret,
        domain: org.loginUrl,
      }),
    );
    await works(sf);
    expect(sf.authType).toBe("client-credentials");
  });

  it("OAuth refresh token flow: refreshToken + consumerKey (+ consumerSecret)", async () => {
    const user = admin();
    const response = await fetch(`${org.loginUrl}/services/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "password",
        client_id: REFRESH_APP.consumerKey,
        client_secret: REFRESH_APP.consumerSecret,
        username: user.username,
        password: user.password + user.securityToken,
      }),
    });
    const token = (await response.json()) as { refresh_token?: string };
    expect(token.refresh_token).toEqual(expect.any(String));
    const sf = keep(
      new Salesforce({
        refreshToken: token.refresh_token!,
        consumerKey: REFRESH_APP.consumerKey,
        consumerSecret: REFRESH_APP.consumerSecret,
        loginUrl: org.loginUrl,
      }),
    );
    await works(sf);
    expect(sf.authType).toBe("refresh-token");
  });

  it("a refused login is a SalesforceAuthenticationFailed that never holds the password (canary)", async () => {
    const canary = "CANARY-pa55word-7731";
    const sf = keep(
      new Salesforce({
        username: admin().username,
        password: canary,
        securityToken: "tok",
        loginUrl: org.loginUrl,
      }),
    );
    const error = await sf.query("SELECT Id FROM User").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
    expect((error as SalesforceAuthenticationFailed).errorCode).toBe("INVALID_LOGIN");
    const shown = `${String(error)} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })} ${inspect(sf)} ${JSON.stringify(sf)}`;
    expect(shown).not.toContain(canary);
  });

  it("Salesforce.connect() rejects with the login's error (and releases its connections)", async () => {
    await expect(
      Salesforce.connect({
        username: admin().username,
        password: "wrong",
        securityToken: "x",
        loginUrl: org.loginUrl,
      }),
    ).rejects.toBeInstanceOf(SalesforceAuthenticationFailed);
  });

  it("the session id stays out of inspect, JSON and spreads", async () => {
    const user = admin();
    const sf = keep(
      await Salesforce.connect({
        username: user.username,
        password: user.password,
        securityToken: user.securityToken,
        loginUrl: org.loginUrl,
      }),
    );
    const sessionId = sf.sessionId!;
    expect(sessionId.length).toBeGreaterThan(10);
    for (const text of [
      inspect(sf, { depth: 4 }),
      JSON.stringify(sf),
      JSON.stringify({ ...sf }),
      String(sf),
    ]) {
      expect(text).not.toContain(sessionId);
      expect(text).not.toContain(user.password);
    }
  });
});

describe("client settings", () => {
  function direct(extra: ConstructorParameters<typeof Salesforce>[0] = {}) {
    return salesforceLogin({
      username: admin().username,
      password: admin().password,
      securityToken: admin().securityToken,
      loginUrl: org.loginUrl,
    }).then((login) => keep(new Salesforce({ sessionId: login.sessionId, instanceUrl: org.url, ...extra })));
  }

  it("clientId is sent as Sforce-Call-Options: client=<id> on REST calls", async () => {
    const sf = await direct({ clientId: "My App" });
    const seen: Array<Record<string, string>> = [];
    sf.hook.after<PreparedRequest, unknown>("request", (_r, request) => {
      seen.push(request.headers);
    });
    await sf.limits();
    expect(seen[0]?.["sforce-call-options"]).toBe("client=My App");
  });

  it("version selects the API version of every call", async () => {
    const sf = await direct({ version: 58 });
    const urls: string[] = [];
    sf.hook.after<PreparedRequest, unknown>("request", (_r, request) => {
      urls.push(request.url);
    });
    await sf.query("SELECT Id FROM User LIMIT 1");
    expect(urls[0]).toContain("/services/data/v58.0/query");
  });

  it("retries are on by default: a 503 on an idempotent GET is retried", async () => {
    const sf = await direct({ retry: { backoff: 1, maxBackoff: 5 } });
    org.faults.next({
      path: /\/limits/,
      status: 503,
      body: [{ errorCode: "SERVER_UNAVAILABLE", message: "busy" }],
    });
    const limits = await sf.limits();
    expect(limits).toHaveProperty("DailyApiRequests");
  });

  it("an expired session is renewed by logging in again, once", async () => {
    const user = admin();
    const sf = keep(
      await Salesforce.connect({
        username: user.username,
        password: user.password,
        securityToken: user.securityToken,
        loginUrl: org.loginUrl,
      }),
    );
    const first = sf.sessionId;
    org.expireAllSessions();
    await works(sf);
    expect(sf.sessionId).not.toBe(first);
  });

  it("apiUsage is read from Sforce-Limit-Info after a call", async () => {
    const sf = await direct();
    await sf.limits();
    expect(sf.apiUsage).toEqual(
      expect.objectContaining({ used: expect.any(Number), limit: expect.any(Number) }),
    );
  });

  it("proxies: the https entry becomes the proxy (a CONNECT proxy sees the calls)", async () => {
    let tunnels = 0;
    const proxy: Server = createServer();
    proxy.on("connect", (request, socket, head) => {
      tunnels += 1;
      const [host, port] = (request.url ?? "").split(":");
      const upstream = netConnect(Number(port), host!, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const saved = { NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      const address = proxy.address() as { port: number };
      const sf = await direct({ proxies: { https: `http://127.0.0.1:${address.port}` } });
      await sf.limits();
      expect(tunnels).toBeGreaterThan(0);
      await sf.close();
      // NO_PROXY is honoured for proxies, as requests does (F21): the emulator's host goes direct.
      const seen = tunnels;
      process.env.NO_PROXY = "localhost,127.0.0.1";
      const bypass = await direct({ proxies: { https: `http://127.0.0.1:${address.port}` } });
      await bypass.limits();
      expect(tunnels).toBe(seen);
      await bypass.close();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("proxies are ignored, with a warning, when a custom fetch is given (B5)", async () => {
    const warnings: string[] = [];
    const sf = await direct({
      fetch: globalThis.fetch as never,
      proxies: { https: "http://127.0.0.1:9" },
      logger: { warn: (message) => warnings.push(message) },
    });
    await sf.limits();
    expect(warnings.some((w) => w.includes("proxies is ignored"))).toBe(true);
  });
});
