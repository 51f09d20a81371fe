import { createSign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_APP_PRIVATE_KEY, type Org, startEmulator } from "../src/index.js";
import { adminToken, call, soapLogin } from "./helpers.js";

let org: Org;
beforeAll(async () => {
  org = await startEmulator({
    users: [{ username: "notoken@sfkit.test", password: "NoToken1", securityToken: "" }],
  });
});
afterAll(async () => {
  await org.close();
});

function fault(text: string): { code?: string; message?: string } {
  return {
    code: /<sf:exceptionCode>([^<]+)</.exec(text)?.[1],
    message: /<sf:exceptionMessage>([^<]*)</.exec(text)?.[1],
  };
}

describe("SOAP login", () => {
  it("returns the partner loginResponse with urls pointing back at the emulator", async () => {
    const u = org.users[0]!;
    const r = await soapLogin(org, u.username, u.password + u.securityToken);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/xml;charset=UTF-8");
    const head = r.text.slice(0, r.text.indexOf("<userInfo>") + 10);
    const order = [
      ...head.matchAll(
        /<result>|<(metadataServerUrl|passwordExpired|sandbox|serverUrl|sessionId|userId|userInfo)>/g,
      ),
    ]
      .map((m) => m[1])
      .filter(Boolean);
    expect(order).toEqual([
      "metadataServerUrl",
      "passwordExpired",
      "sandbox",
      "serverUrl",
      "sessionId",
      "userId",
      "userInfo",
    ]);
    const org15 = org.organizationId.slice(0, 15);
    expect(r.text).toContain(`<serverUrl>${org.url}/services/Soap/u/64.0/${org15}</serverUrl>`);
    expect(r.text).toContain(
      `<metadataServerUrl>${org.url}/services/Soap/m/64.0/${org15}</metadataServerUrl>`,
    );
    expect(r.text).toContain(`<organizationId>${org.organizationId}</organizationId>`);
    expect(r.text).toContain(`<userName>${u.username}</userName>`);
    expect(r.text).toContain('<roleId xsi:nil="true"/>');
    const sid = /<sessionId>([^<]+)</.exec(r.text)![1]!;
    expect(sid.startsWith(org15 + "!")).toBe(true);
    const rest = await call(org, "/services/data/v64.0/limits", { token: sid });
    expect(rest.status).toBe(200);
  });

  it("decodes XML entities in credentials (password with special characters)", async () => {
    const u = org.users[1]!;
    expect(u.password).toMatch(/[&<>"']/);
    const r = await soapLogin(org, u.username, u.password + u.securityToken);
    expect(r.status).toBe(200);
  });

  it("answers INVALID_LOGIN with the real fault envelope", async () => {
    const r = await soapLogin(org, "admin@sfkit.test", "wrong");
    expect(r.status).toBe(500);
    expect(r.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>',
    );
    expect(fault((await soapLogin(org, "nobody@sfkit.test", "x")).text).code).toBe("INVALID_LOGIN");
  });

  it("answers LOGIN_MUST_USE_SECURITY_TOKEN when the password is right but the token is missing", async () => {
    const u = org.users[0]!;
    const r = await soapLogin(org, u.username, u.password);
    expect(r.status).toBe(500);
    expect(fault(r.text).code).toBe("LOGIN_MUST_USE_SECURITY_TOKEN");
  });

  it("lets users without a token log in with the password alone", async () => {
    const r = await soapLogin(org, "notoken@sfkit.test", "NoToken1");
    expect(r.status).toBe(200);
  });

  it("checks the organizationId of LoginScopeHeader", async () => {
    const u = org.users[0]!;
    const bad = await soapLogin(org, u.username, u.password + u.securityToken, { orgId: "00D000000000001" });
    expect(fault(bad.text).code).toBe("INVALID_LOGIN");
    const good = await soapLogin(org, u.username, u.password + u.securityToken, {
      orgId: org.organizationId.slice(0, 15),
    });
    expect(good.status).toBe(200);
  });

  it("refuses login() from API 65.0 as real orgs do", async () => {
    const u = org.users[0]!;
    const r = await soapLogin(org, u.username, u.password + u.securityToken, { version: "65.0" });
    expect(r.status).toBe(500);
    expect(fault(r.text)).toEqual({
      code: "INVALID_OPERATION",
      message:
        "The SOAP Login operation is not available in the API version specified (65.0). Refer to the documentation for supported versions.",
    });
  });

  it("gives an expired-password user a restricted session", async () => {
    const u = org.users.find((x) => x.passwordExpired)!;
    const r = await soapLogin(org, u.username, u.password + u.securityToken);
    expect(r.status).toBe(200);
    expect(r.text).toContain("<passwordExpired>true</passwordExpired>");
    const sid = /<sessionId>([^<]+)</.exec(r.text)![1]!;
    const rest = await call(org, "/services/data/v64.0/limits", { token: sid });
    expect(rest.json[0].errorCode).toBe("INVALID_OPERATION_WITH_EXPIRED_PASSWORD");
  });

  it("refuses locked users", async () => {
    const u = org.users.find((x) => x.locked)!;
    const r = await soapLogin(org, u.username, u.password + u.securityToken);
    expect(fault(r.text).code).toBe("PASSWORD_LOCKOUT");
  });

  it("answers SOAP client faults for a wrong content type or an empty body", async () => {
    const r1 = await fetch(`${org.loginUrl}/services/Soap/u/64.0`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "x",
    });
    expect(r1.status).toBe(500);
    expect(await r1.text()).toContain("content-type of the request should be text/xml");
    const r2 = await fetch(`${org.loginUrl}/services/Soap/u/64.0`, {
      method: "POST",
      headers: { "Content-Type": "text/xml" },
      body: "",
    });
    expect(await r2.text()).toContain("Premature end of file.");
  });

  it("logs out: the session no longer works on REST", async () => {
    const sid = await adminToken(org);
    const body = `<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${sid}</sessionId></SessionHeader></se:Header><se:Body><logout xmlns="urn:partner.soap.sforce.com"/></se:Body></se:Envelope>`;
    const r = await fetch(`${org.url}/services/Soap/u/64.0`, {
      method: "POST",
      headers: { "Content-Type": "text/xml" },
      body,
    });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain("<logoutResponse/>");
    const rest = await call(org, "/services/data/v64.0/limits", { token: sid });
    expect(rest.status).toBe(401);
    const again = await fetch(`${org.url}/services/Soap/u/64.0`, {
      method: "POST",
      headers: { "Content-Type": "text/xml" },
      body,
    });
    expect(fault(await again.text()).code).toBe("INVALID_SESSION_ID");
  });
});

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

async function token(values: Record<string, string>, headers: Record<string, string> = {}) {
  return call(org, "/services/oauth2/token", {
    method: "POST",
    body: form(values),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}

function jwt(claims: Record<string, unknown>, key = DEFAULT_APP_PRIVATE_KEY): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = enc({ alg: "RS256" });
  const body = enc(claims);
  const sig = createSign("RSA-SHA256").update(`${head}.${body}`).sign(key).toString("base64url");
  return `${head}.${body}.${sig}`;
}

describe("OAuth token endpoint", () => {
  it("password grant returns a token usable on REST", async () => {
    const app = org.connectedApps[0]!;
    const u = org.users[0]!;
    const r = await token({
      grant_type: "password",
      client_id: app.consumerKey,
      client_secret: app.consumerSecret,
      username: u.username,
      password: u.password + u.securityToken,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(Object.keys(r.json)).toEqual([
      "access_token",
      "signature",
      "scope",
      "instance_url",
      "id",
      "token_type",
      "issued_at",
    ]);
    expect(r.json.instance_url).toBe(org.url);
    expect(r.json.token_type).toBe("Bearer");
    expect(typeof r.json.issued_at).toBe("string");
    expect(r.json.id).toBe(`${org.loginUrl}/id/${org.organizationId}/${u.userId}`);
    const id = await fetch(r.json.id, { headers: { Authorization: `Bearer ${r.json.access_token}` } });
    const identity = (await id.json()) as any;
    expect(identity.username).toBe(u.username);
    expect(identity.urls.rest).toBe(`${org.url}/services/data/v{version}/`);
    const info = await call(org, "/services/oauth2/userinfo", { token: r.json.access_token });
    expect(info.json.preferred_username).toBe(u.username);
  });

  it("answers the real {error, error_description} failures", async () => {
    const app = org.connectedApps[0]!;
    const u = org.users[0]!;
    const base = {
      grant_type: "password",
      client_id: app.consumerKey,
      client_secret: app.consumerSecret,
      username: u.username,
    };
    expect((await token({ ...base, password: "nope" })).json).toEqual({
      error: "invalid_grant",
      error_description: "authentication failure",
    });
    expect((await token({ ...base, client_id: "unknown", password: "x" })).json).toEqual({
      error: "invalid_client_id",
      error_description: "client identifier invalid",
    });
    const badSecret = await token({
      ...base,
      client_secret: "wrong",
      password: u.password + u.securityToken,
    });
    expect(badSecret.status).toBe(400);
    expect(badSecret.json).toEqual({
      error: "invalid_client",
      error_description: "invalid client credentials",
    });
    expect((await token({ grant_type: "magic" })).json).toEqual({
      error: "unsupported_grant_type",
      error_description: "grant type not supported",
    });
  });

  it("refresh_token grant works until the refresh token is revoked", async () => {
    const app = org.connectedApps[0]!;
    const refresh = org.sessions.issueRefreshToken(org.users[0]!, app.consumerKey);
    const r = await token({
      grant_type: "refresh_token",
      client_id: app.consumerKey,
      refresh_token: refresh,
    });
    expect(r.status).toBe(200);
    expect((await call(org, "/services/data/v64.0/limits", { token: r.json.access_token })).status).toBe(200);
    const rev = await call(org, "/services/oauth2/revoke", {
      method: "POST",
      body: form({ token: refresh }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(rev.status).toBe(200);
    const again = await token({
      grant_type: "refresh_token",
      client_id: app.consumerKey,
      refresh_token: refresh,
    });
    expect(again.json).toEqual({ error: "invalid_grant", error_description: "expired access/refresh token" });
    expect((await call(org, "/services/data/v64.0/limits", { token: r.json.access_token })).status).toBe(401);
  });

  it("JWT bearer grant verifies the RS256 signature, exp, aud and sub", async () => {
    const app = org.connectedApps[0]!;
    const exp = Math.floor(Date.now() / 1000) + 180;
    const ok = await token({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion: jwt({
        iss: app.consumerKey,
        sub: "admin@sfkit.test",
        aud: "https://login.salesforce.com",
        exp,
      }),
    });
    expect(ok.status).toBe(200);
    expect(ok.json.refresh_token).toBeUndefined();
    const viaLoginUrl = await token({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion: jwt({ iss: app.consumerKey, sub: "admin@sfkit.test", aud: org.loginUrl, exp }),
    });
    expect(viaLoginUrl.status).toBe(200);
    const grant = (claims: Record<string, unknown>, key?: string) =>
      token({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: jwt(claims, key) });
    expect(
      (await grant({ iss: app.consumerKey, sub: "admin@sfkit.test", aud: "https://evil.example", exp })).json
        .error,
    ).toBe("invalid_grant");
    expect(
      (await grant({ iss: app.consumerKey, sub: "admin@sfkit.test", aud: org.loginUrl, exp: exp - 3600 }))
        .json.error,
    ).toBe("invalid_grant");
    expect(
      (await grant({ iss: app.consumerKey, sub: "ghost@sfkit.test", aud: org.loginUrl, exp })).json.error,
    ).toBe("invalid_grant");
    expect((await grant({ iss: "nope", sub: "admin@sfkit.test", aud: org.loginUrl, exp })).json.error).toBe(
      "invalid_client_id",
    );
    const { generateKeyPairSync } = await import("node:crypto");
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const forged = await grant(
      { iss: app.consumerKey, sub: "admin@sfkit.test", aud: org.loginUrl, exp },
      other,
    );
    expect(forged.json).toEqual({ error: "invalid_grant", error_description: "invalid assertion" });
  });

  it("client_credentials grant runs as the app's user (Basic auth or body)", async () => {
    const app = org.connectedApps[0]!;
    const basic = Buffer.from(`${app.consumerKey}:${app.consumerSecret}`).toString("base64");
    const r = await token({ grant_type: "client_credentials" }, { Authorization: `Basic ${basic}` });
    expect(r.status).toBe(200);
    const info = await call(org, "/services/oauth2/userinfo", { token: r.json.access_token });
    expect(info.json.preferred_username).toBe(app.runAs);
    const bad = await token({
      grant_type: "client_credentials",
      client_id: app.consumerKey,
      client_secret: "x",
    });
    expect(bad.json.error).toBe("invalid_client");
  });
});

describe("sessions", () => {
  it("accepts Bearer, OAuth and X-SFDC-Session, and 401s unknown tokens", async () => {
    const sid = await adminToken(org);
    for (const headers of [
      { Authorization: `Bearer ${sid}` },
      { Authorization: `OAuth ${sid}` },
      { "X-SFDC-Session": sid },
    ] as Record<string, string>[]) {
      expect((await call(org, "/services/data/v64.0/limits", { headers })).status).toBe(200);
    }
    const bad = await call(org, "/services/data/v64.0/limits", { token: "00Dbogus!token" });
    expect(bad.status).toBe(401);
    expect(bad.text).toBe('[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]');
    expect((await call(org, "/services/data/v64.0/limits")).status).toBe(401);
  });

  it("expires one session or all of them", async () => {
    const a = await adminToken(org);
    const b = await adminToken(org);
    org.sessions.expire(a);
    expect((await call(org, "/services/data/v64.0/limits", { token: a })).status).toBe(401);
    expect((await call(org, "/services/data/v64.0/limits", { token: b })).status).toBe(200);
    org.expireAllSessions();
    expect((await call(org, "/services/data/v64.0/limits", { token: b })).status).toBe(401);
  });

  it("honours sessionLifetimeMs", async () => {
    let now = Date.now();
    const short = await startEmulator({ sessionLifetimeMs: 1000, now: () => now });
    try {
      const sid = await adminToken(short);
      expect((await call(short, "/services/data/v64.0/limits", { token: sid })).status).toBe(200);
      now += 1001;
      expect((await call(short, "/services/data/v64.0/limits", { token: sid })).status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe("SOAP login with unescaped XML", () => {
  it("answers UNKNOWN_EXCEPTION with the XML parser's message (F01)", async () => {
    const body = (password: string) =>
      `<?xml version="1.0"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>admin@sfkit.test</n1:username><n1:password>${password}</n1:password></n1:login></env:Body></env:Envelope>`;
    const post = (password: string) =>
      fetch(`${org.loginUrl}/services/Soap/u/59.0`, {
        method: "POST",
        headers: { "Content-Type": "text/xml", SOAPAction: "login" },
        body: body(password),
      });
    const a = await post("p& ss");
    expect(a.status).toBe(500);
    const ta = await a.text();
    expect(fault(ta)).toEqual({
      code: "UNKNOWN_EXCEPTION",
      message: "The entity name must immediately follow the &apos;&amp;&apos; in the entity reference.",
    });
    expect(ta).toContain("<faultcode>sf:UNKNOWN_EXCEPTION</faultcode>");
    const b = await (await post("p&ss")).text();
    expect(b).toContain("must end with the &apos;;&apos; delimiter.");
    const u = org.users[0]!;
    const ok = await post((u.password + u.securityToken).replace(/&/g, "&amp;"));
    expect(ok.status).toBe(200);
  });
});

describe("sessions not valid for REST", () => {
  it("answers the 401 that a refresh cannot fix for users with restApiDisabled (F03)", async () => {
    const hi = await startEmulator({
      users: [{ username: "ha@sfkit.test", password: "HighAssurance1", restApiDisabled: true }],
    });
    try {
      const r = await soapLogin(hi, "ha@sfkit.test", "HighAssurance1");
      expect(r.status).toBe(200);
      const sid = /<sessionId>([^<]+)</.exec(r.text)![1]!;
      const rest = await call(hi, "/services/data/v64.0/limits", { token: sid });
      expect(rest.status).toBe(401);
      expect(rest.text).toBe(
        '[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]',
      );
      const ok = await call(hi, "/services/data/v64.0/limits", { token: await adminToken(hi) });
      expect(ok.status).toBe(200);
    } finally {
      await hi.close();
    }
  });
});
