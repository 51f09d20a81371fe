// Canary secrets (password, security token, session id, refresh token, client secret, private
// key) never appear in an error (message, stack, causes, fields), a log line or its data, or
// the CLI's output, whatever fails; the CLI's config file is readable by its owner only; TLS
// verification is never off by default.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { jwtBearerGrant, passwordGrant, refreshTokenGrant } from "@sfkit/auth-oauth";
import { soapLogin } from "@sfkit/auth-soap";
import { main } from "@sfkit/cli";
import { type AuthStrategy, type Client, createClient } from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { rest } from "@sfkit/rest";
import { undiciTransport } from "@sfkit/transport-undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PASSWORD = "CanaryPw<&>'\"9q7z";
const TOKEN = "CanaryTok3nQ8w7e6r5";
const CLIENT_SECRET = "CanarySecret0123456789ABCDEF";

let org: Emulator;
const lines: string[] = [];
const logger = {
  debug: (m: string, d?: unknown) =>
    lines.push(`debug ${m} ${d === undefined ? "" : inspect(d, { depth: 6 })}`),
  info: (m: string, d?: unknown) =>
    lines.push(`info ${m} ${d === undefined ? "" : inspect(d, { depth: 6 })}`),
  warn: (m: string, d?: unknown) =>
    lines.push(`warn ${m} ${d === undefined ? "" : inspect(d, { depth: 6 })}`),
  error: (m: string, d?: unknown) =>
    lines.push(`error ${m} ${d === undefined ? "" : inspect(d, { depth: 6 })}`),
};
const errors: unknown[] = [];
const clients: Client[] = [];

/** Every secret the org handed out or was given, at the time of the check. */
function canaries(): string[] {
  const app = org.connectedApps.find((a) => a.consumerSecret === CLIENT_SECRET)!;
  const keyBody = org.connectedApps[0]!.privateKey!.split("\n").filter((l) => l && !l.startsWith("-----"));
  const sessions = org.sessions.list().map((s) => s.token);
  return [
    PASSWORD,
    TOKEN,
    `${PASSWORD}${TOKEN}`,
    CLIENT_SECRET,
    app.consumerSecret,
    ...keyBody.slice(0, 3),
    ...sessions,
    ...refreshTokens,
    ...sessions.map((t) => t.split("!")[1]!).filter(Boolean),
    encodeURIComponent(PASSWORD),
  ];
}
const refreshTokens: string[] = [];

function render(error: unknown): string {
  const parts = [String(error), inspect(error, { depth: 8, showHidden: true })];
  try {
    parts.push(JSON.stringify(error));
  } catch {
    // circular: inspect covers it
  }
  for (
    let e = error as { cause?: unknown; stack?: string } | undefined, d = 0;
    e && d < 6;
    e = e.cause as never, d++
  ) {
    parts.push(String(e), e.stack ?? "");
  }
  return parts.join("\n");
}

async function capture(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    errors.push(error);
  }
}

function client(auth: AuthStrategy, extra: Parameters<typeof createClient>[0] = {}) {
  const c = createClient({ auth, logger, timeout: 400, retry: { limit: 1, backoff: 5 }, ...extra }).extend(
    rest(),
  );
  clients.push(c);
  return c;
}

beforeAll(async () => {
  org = await startEmulator({
    port: 0,
    users: [{ username: "canary@sfkit.test", password: PASSWORD, securityToken: TOKEN }],
    connectedApps: [
      {
        consumerKey: "CanaryConsumerKey",
        consumerSecret: CLIENT_SECRET,
        runAs: "canary@sfkit.test",
        issueRefreshTokens: true,
      },
    ],
  });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await org?.close();
});

describe("canary secrets in errors and logs", () => {
  it("no secret in any error or log line of any strategy, whatever fails", async () => {
    const loginUrl = org.loginUrl;
    const app = org.connectedApps[0]!;
    const user = org.findUser("canary@sfkit.test")!;
    const refresh = org.sessions.issueRefreshToken(user as never, "CanaryConsumerKey");
    refreshTokens.push(typeof refresh === "string" ? refresh : (refresh as { token: string }).token);
    const soap = () =>
      soapLogin({ username: "canary@sfkit.test", password: PASSWORD, securityToken: TOKEN, loginUrl });
    const oauth = () =>
      passwordGrant({
        username: "canary@sfkit.test",
        password: PASSWORD,
        securityToken: TOKEN,
        consumerKey: "CanaryConsumerKey",
        consumerSecret: CLIENT_SECRET,
        loginUrl,
      });
    const refreshGrant = () =>
      refreshTokenGrant({
        refreshToken: refreshTokens[0]!,
        consumerKey: "CanaryConsumerKey",
        consumerSecret: CLIENT_SECRET,
        loginUrl,
      });
    const jwt = () =>
      jwtBearerGrant({
        username: "admin@sfkit.test",
        consumerKey: app.consumerKey,
        privateKey: app.privateKey!,
        loginUrl,
      });
    const strategies = { soap, oauth, refreshGrant, jwt };
    const ECHO: Record<string, string> = {
      soap: `${PASSWORD}${TOKEN}`,
      oauth: `${CLIENT_SECRET} ${PASSWORD}`,
      refreshGrant: `${refreshTokens[0]} ${CLIENT_SECRET}`,
    };

    for (const [name, make] of Object.entries(strategies)) {
      // Wrong credentials (the server's message echoes nothing secret back either).
      if (name === "soap")
        await capture(() =>
          client(
            soapLogin({
              username: "canary@sfkit.test",
              password: `${PASSWORD}x`,
              securityToken: TOKEN,
              loginUrl,
            }),
          ).session(),
        );
      if (name === "oauth")
        await capture(() =>
          client(
            passwordGrant({
              username: "canary@sfkit.test",
              password: PASSWORD,
              consumerKey: "CanaryConsumerKey",
              consumerSecret: `${CLIENT_SECRET}x`,
              loginUrl,
            }),
          ).session(),
        );
      // Login answers that break.
      for (const fault of [
        { status: 500, html: true as const },
        { status: 200, body: "{not json" },
        { drop: "mid-body" as const },
        { delayMs: 700 },
        // A server that echoes a secret this strategy holds back in its error.
        { status: 400, body: { error: "invalid_grant", error_description: `bad ${ECHO[name] ?? "x"}` } },
        {
          status: 500,
          contentType: "text/xml",
          body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>bad ${ECHO[name] ?? "x"}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
        },
      ]) {
        org.faults.next({ method: "POST", path: /\/services\/(Soap|oauth2)/, ...fault });
        await capture(() => client(make()).session());
        org.faults.clear();
      }
      // Calls that break after login, an expired session refreshed, one that cannot be.
      const c = client(make());
      await capture(() => c.query("SELECT Id FROM Account"));
      for (const fault of [
        { status: 500, html: true as const },
        { status: 400, body: [{ errorCode: "MALFORMED_QUERY", message: "x" }] },
        { drop: "mid-body" as const, times: 3 },
        { delayMs: 700, times: 3 },
        { expireSession: true as const },
        { status: 403, body: [{ errorCode: "REQUEST_LIMIT_EXCEEDED", message: "limit" }] },
      ]) {
        org.faults.next({ path: "/query", ...fault });
        await capture(() => c.query("SELECT Id FROM Account WHERE Name = 'x'"));
        org.faults.clear();
      }
      org.faults.next({ path: "/query", expireSession: true });
      org.faults.next({ method: "POST", path: /\/services\/(Soap|oauth2)/, status: 500, html: true });
      await capture(() => c.query("SELECT Id FROM Account"));
      org.faults.clear();
      await capture(() => c.logout());
    }
    // A direct session that expires: its id is the secret.
    const s = org.sessions.create(org.users[0]!);
    const direct = createClient({ instanceUrl: org.url, sessionId: s.token, logger }).extend(rest());
    clients.push(direct);
    org.sessions.expire(s.token);
    await capture(() => direct.query("SELECT Id FROM Account"));
    await capture(() => direct.request({ path: `sobjects/Account/${s.token}` }));

    expect(errors.length).toBeGreaterThan(30);
    expect(lines.length).toBeGreaterThan(10);
    const secrets = canaries().filter((x) => x && x.length >= 8);
    expect(secrets.length).toBeGreaterThan(8);
    for (const error of errors) {
      const text = render(error);
      for (const secret of secrets) {
        if (text.includes(secret))
          throw new Error(
            `a secret (${secret.slice(0, 4)}…) appeared in an error: ${String(error).slice(0, 300)}`,
          );
      }
    }
    for (const line of lines) {
      for (const secret of secrets) {
        if (line.includes(secret))
          throw new Error(`a secret (${secret.slice(0, 4)}…) appeared in a log line: ${line.slice(0, 300)}`);
      }
    }
  }, 60_000);
});

describe("the CLI", () => {
  async function cli(args: string[], env: Record<string, string>) {
    let out = "";
    const sink = (s: string) => {
      out += s;
      return true;
    };
    const code = await main(args, {
      stdout: { write: sink },
      stderr: { write: sink },
      isTTY: false,
      env: { HOME: mkdtempSync(join(tmpdir(), "sfkit-home-")), ...env },
      cwd: process.cwd(),
    });
    return { code, out };
  }

  it("prints no secret, in success or failure, with SFKIT_DEBUG on; its config file is 0600", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sfkit-config-"));
    const env = { SFKIT_CONFIG_DIR: dir, SFKIT_DEBUG: "1" };
    const outputs: string[] = [];
    const wrong = await cli(
      ["org", "login", "soap", "-a", "bad", "--username", "canary@sfkit.test", "--login-url", org.loginUrl],
      { ...env, SF_PASSWORD: `${PASSWORD}x`, SF_SECURITY_TOKEN: TOKEN },
    );
    expect(wrong.code).not.toBe(0);
    outputs.push(wrong.out);
    const login = await cli(
      [
        "org",
        "login",
        "soap",
        "-a",
        "canary",
        "--username",
        "canary@sfkit.test",
        "--login-url",
        org.loginUrl,
      ],
      { ...env, SF_PASSWORD: PASSWORD, SF_SECURITY_TOKEN: TOKEN },
    );
    expect(login.code, login.out).toBe(0);
    outputs.push(login.out);
    const file = join(dir, "orgs.json");
    expect(statSync(file).mode & 0o077).toBe(0); // owner only
    const saved = JSON.parse(readFileSync(file, "utf8")) as {
      orgs: Record<string, { accessToken?: string }>;
    };
    const token = saved.orgs.canary!.accessToken!;
    expect(token).toMatch(/^00D/);
    for (const args of [
      ["org", "display"],
      ["org", "display", "--json"],
      ["org", "list", "--json"],
      ["data", "query", "SELECT Id FROM Account", "--json"],
    ]) {
      const r = await cli(args, env);
      outputs.push(r.out);
    }
    for (const fault of [
      { status: 500, html: true as const },
      { drop: "mid-body" as const, times: 3 },
      {
        status: 401,
        body: [{ errorCode: "INVALID_SESSION_ID", message: `Session expired ${token}` }],
        times: 3,
      },
    ]) {
      org.faults.next({ path: "/query", ...fault });
      outputs.push((await cli(["data", "query", "SELECT Id FROM Account"], env)).out);
      org.faults.clear();
    }
    // A CSV file with a broken quote (and the token in it) gets a clear error.
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, `LastName\n"${token}\n`);
    outputs.push((await cli(["data", "import", "bulk", "--sobject", "Contact", "--file", csv], env)).out);
    const secrets = [...canaries(), token].filter((x) => x && x.length >= 8);
    for (const out of outputs) {
      for (const secret of secrets) {
        if (out.includes(secret))
          throw new Error(`a secret (${secret.slice(0, 4)}…) appeared in CLI output: ${out.slice(0, 400)}`);
      }
    }
  }, 60_000);
});

describe("TLS verification", () => {
  let tls: Emulator;
  beforeAll(async () => {
    tls = await startEmulator({ port: 0, https: true });
  });
  afterAll(async () => {
    await tls?.close();
  });

  for (const [name, transport] of [
    ["default transport", undefined],
    ["undici transport", undiciTransport()],
  ] as const) {
    it(`${name}: without ca a self-signed server is refused with an error that says to pass ca; with ca it works`, async () => {
      const user = tls.users[0]!;
      const auth = () =>
        soapLogin({
          username: user.username,
          password: user.password,
          securityToken: user.securityToken,
          loginUrl: tls.loginUrl,
        });
      const refused = createClient({ auth: auth(), ...(transport ? { transport } : {}) });
      clients.push(refused);
      const error = await refused.session().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.name).toBe("SalesforceConnectionError");
      expect(error?.message).toMatch(/certificate/i);
      expect(error?.message).toMatch(/`ca`/);
      const trusted = createClient({ auth: auth(), ca: tls.ca!, ...(transport ? { transport } : {}) }).extend(
        rest(),
      );
      clients.push(trusted);
      expect((await trusted.query("SELECT Id FROM Organization")).totalSize).toBe(1);
    });
  }
});
