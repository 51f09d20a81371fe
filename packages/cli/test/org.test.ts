import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startEmulator, type Emulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunResult, run, tempDir } from "./support/cli.js";

let emulator: Emulator;
let user: { username: string; password: string; securityToken: string };
const CANARY = "Canary&<Pw>'\"9";

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: "demo",
    users: [
      {
        username: "canary@sfkit.test",
        password: CANARY,
        securityToken: "TOKENCANARY1",
        lastName: "Canary",
      } as never,
    ],
  });
  const found = emulator.users.find((u) => u.username === "canary@sfkit.test")!;
  user = { username: found.username, password: found.password, securityToken: found.securityToken };
});
afterAll(() => emulator.close());

function noSecrets(results: RunResult[], secrets: string[]) {
  for (const result of results) {
    for (const secret of secrets) {
      expect(result.stdout, "stdout").not.toContain(secret);
      expect(result.stderr, "stderr").not.toContain(secret);
    }
  }
}

describe("sfkit org", () => {
  it("logs in by SOAP, saves the org in a 0600 file, and never prints a secret", async () => {
    const dir = tempDir();
    const env = { SFKIT_CONFIG_DIR: dir, SF_PASSWORD: user.password, SF_SECURITY_TOKEN: user.securityToken };
    const login = await run(
      ["org", "login", "soap", "-a", "canary", "-u", user.username, "--login-url", emulator.loginUrl],
      { env },
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('saved the org as "canary" (the default org)');
    // Only rows with a value: no empty clientId/loginUrl rows after a SOAP login.
    expect(login.stdout).not.toMatch(/^\w+\s*$/m);
    expect(login.stdout).not.toMatch(/^clientId/m);
    expect(login.stdout).toMatch(/^apiVersion\s+62\.0 \(sfkit's default\)$/m);
    const shown = await run(["org", "display"], { env });
    expect(shown.stdout).not.toMatch(/^\w+\s*$/m);
    expect(shown.stdout).toMatch(/^apiVersion\s+62\.0 \(sfkit's default\)$/m);
    const json = (await run(["org", "display", "--json"], { env })).json();
    expect(json.result).toMatchObject({ apiVersion: null, clientId: null });
    const file = join(dir, "orgs.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved.defaultOrg).toBe("canary");
    const token: string = saved.orgs.canary.accessToken;
    expect(token.length).toBeGreaterThan(10);
    expect(JSON.stringify(saved)).not.toContain(CANARY);

    const outputs = [
      login,
      await run(["org", "list"], { env }),
      await run(["org", "list", "--json"], { env }),
      await run(["org", "display"], { env }),
      await run(["org", "display", "--json"], { env }),
      await run(["limits", "--json"], { env }),
      await run(["data", "query", "SELECT Id FROM Nothing__c"], { env }),
      await run(["data", "query", "SELECT Id FROM Nothing__c", "--json"], { env }),
    ];
    expect(outputs[5]!.code).toBe(0);
    expect(outputs[6]!.code).toBe(1);
    noSecrets(outputs, [token, CANARY, "TOKENCANARY1"]);
    expect(outputs[2]!.json().result).toMatchObject({
      defaultOrg: "canary",
      orgs: [
        {
          alias: "canary",
          username: user.username,
          authMethod: "soap",
          isDefault: true,
          hasRefreshToken: false,
        },
      ],
    });

    // --verbose is the one way to see the token, with a warning.
    const verbose = await run(["org", "display", "--verbose", "--json"], { env });
    expect(verbose.json()).toMatchObject({
      result: { accessToken: token },
      warnings: [expect.stringContaining("access token")],
    });
  });

  it("refuses a wrong password with exit 4 and without echoing it", async () => {
    const dir = tempDir();
    const result = await run(
      [
        "org",
        "login",
        "soap",
        "-u",
        user.username,
        "--password",
        `${CANARY}x`,
        "--login-url",
        emulator.loginUrl,
        "--json",
      ],
      { env: { SFKIT_CONFIG_DIR: dir } },
    );
    expect(result.code).toBe(4);
    expect(result.json()).toMatchObject({ status: 4, name: "SalesforceAuthenticationFailed", exitCode: 4 });
    noSecrets([result], [CANARY]);
  });

  it("lists, switches the default, and logs out", async () => {
    const dir = tempDir();
    const env = { SFKIT_CONFIG_DIR: dir, SF_PASSWORD: user.password + user.securityToken };
    for (const alias of ["one", "two"]) {
      const r = await run(
        ["org", "login", "soap", "-a", alias, "-u", user.username, "-r", emulator.loginUrl],
        { env },
      );
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await run(["org", "list", "--json"], { env })).json().result.defaultOrg).toBe("one");
    expect((await run(["org", "set-default", "two"], { env })).code).toBe(0);
    expect((await run(["org", "display", "--json"], { env })).json().result.alias).toBe("two");
    // --target-org beats the default; the username works as well as the alias.
    expect((await run(["org", "display", "-o", "one", "--json"], { env })).json().result.alias).toBe("one");
    const twoToken = JSON.parse(readFileSync(join(dir, "orgs.json"), "utf8")).orgs.two.accessToken as string;
    const logout = await run(["org", "logout", "-o", "two", "--revoke"], { env });
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stderr).toBe("");
    // The revoked session no longer works.
    const revoked = await run(["limits"], {
      env: { SFKIT_CONFIG_DIR: tempDir(), SF_INSTANCE_URL: emulator.url, SF_ACCESS_TOKEN: twoToken },
    });
    expect(revoked.code).toBe(4);
    const after = (await run(["org", "list", "--json"], { env })).json().result;
    expect(after.orgs.map((o: { alias: string }) => o.alias)).toEqual(["one"]);
    expect(after.defaultOrg).toBe("one");
    expect((await run(["org", "set-default", "zzz"], { env })).code).toBe(2);
  });

  it("uses SF_* environment variables without any config file", async () => {
    const dir = tempDir();
    const soap = await run(
      ["data", "query", "SELECT Name FROM Account WHERE Name = 'GenePoint'", "-r", "csv"],
      {
        env: {
          SFKIT_CONFIG_DIR: dir,
          SF_USERNAME: user.username,
          SF_PASSWORD: user.password,
          SF_SECURITY_TOKEN: user.securityToken,
          SF_LOGIN_URL: emulator.loginUrl,
        },
      },
    );
    expect(soap.code, soap.stderr).toBe(0);
    expect(soap.stdout).toBe("Name\nGenePoint\n");
    // A session from the environment: SF_INSTANCE_URL + SF_ACCESS_TOKEN.
    const login = await run(
      ["org", "login", "soap", "-u", user.username, "-r", emulator.loginUrl, "--json"],
      {
        env: { SFKIT_CONFIG_DIR: dir, SF_PASSWORD: user.password + user.securityToken },
      },
    );
    const token = JSON.parse(readFileSync(join(dir, "orgs.json"), "utf8")).orgs[user.username]
      .accessToken as string;
    expect(login.code).toBe(0);
    const session = await run(["limits", "--json"], {
      env: { SFKIT_CONFIG_DIR: tempDir(), SF_INSTANCE_URL: emulator.url, SF_ACCESS_TOKEN: token },
    });
    expect(session.code, session.stderr).toBe(0);
    // A proxy from the environment is not used for loopback (the emulator).
    const proxied = await run(["limits", "--json"], {
      env: {
        SFKIT_CONFIG_DIR: tempDir(),
        SF_INSTANCE_URL: emulator.url,
        SF_ACCESS_TOKEN: token,
        HTTPS_PROXY: "http://127.0.0.1:9",
        HTTP_PROXY: "http://127.0.0.1:9",
      },
    });
    expect(proxied.code, proxied.stdout).toBe(0);
    noSecrets([soap, login, session], [token, CANARY]);
    const half = await run(["limits"], { env: { SFKIT_CONFIG_DIR: tempDir(), SF_ACCESS_TOKEN: token } });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain("SF_INSTANCE_URL is not");
  });

  it("saves a session with org login session after checking it, and exits 4 when it has expired", async () => {
    const dir = tempDir();
    const soap = await run(
      ["org", "login", "soap", "-a", "src", "-u", user.username, "-r", emulator.loginUrl],
      {
        env: { SFKIT_CONFIG_DIR: dir, SF_PASSWORD: user.password + user.securityToken },
      },
    );
    expect(soap.code).toBe(0);
    const token = JSON.parse(readFileSync(join(dir, "orgs.json"), "utf8")).orgs.src.accessToken as string;
    const env = { SFKIT_CONFIG_DIR: dir };
    const saved = await run(
      ["org", "login", "session", "-a", "sess", "--instance-url", emulator.url, "--access-token-stdin"],
      {
        env,
        stdin: `${token}\n`,
      },
    );
    expect(saved.code, saved.stderr).toBe(0);
    noSecrets([saved], [token]);
    const bad = await run(
      [
        "org",
        "login",
        "session",
        "-a",
        "bad",
        "--instance-url",
        emulator.url,
        "--access-token",
        "00Dbogus!token",
      ],
      { env },
    );
    expect(bad.code).toBe(4);
    noSecrets([bad], ["00Dbogus!token"]);
    const list = (await run(["org", "list", "--json"], { env }))
      .json()
      .result.orgs.map((o: { alias: string }) => o.alias);
    expect(list).toEqual(["src", "sess"]);
    // the token's user, looked up because no --username was given
    const orgs = JSON.parse(readFileSync(join(dir, "orgs.json"), "utf8")).orgs;
    expect(orgs.sess.username).toBe(user.username);

    emulator.faults.next({
      path: /limits/,
      status: 401,
      body: [{ errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid" }],
    });
    const expired = await run(["limits", "-o", "sess", "--json"], { env });
    expect(expired.code).toBe(4);
    expect(expired.json()).toMatchObject({
      exitCode: 4,
      name: "SalesforceExpiredSession",
      actions: [expect.stringContaining("sfkit org login")],
    });
  });

  it("saves a session whose token may not read userinfo, without a username, aliased by --alias or its host", async () => {
    const dir = tempDir();
    const env = { SFKIT_CONFIG_DIR: dir };
    const soap = await run(
      ["org", "login", "soap", "-a", "src", "-u", user.username, "-r", emulator.loginUrl],
      {
        env: { ...env, SF_PASSWORD: user.password + user.securityToken },
      },
    );
    expect(soap.code, soap.stderr).toBe(0);
    const token = JSON.parse(readFileSync(join(dir, "orgs.json"), "utf8")).orgs.src.accessToken as string;
    emulator.faults.next({ path: /userinfo/, status: 403, body: "Forbidden" });
    const saved = await run(
      ["org", "login", "session", "--instance-url", emulator.url, "--access-token-stdin"],
      {
        env,
        stdin: `${token}\n`,
      },
    );
    expect(saved.code, saved.stderr).toBe(0);
    noSecrets([saved], [token]);
    const orgs = JSON.parse(readFileSync(join(dir, "orgs.json"), "utf8")).orgs;
    const alias = new URL(emulator.url).host.split(".")[0] as string;
    expect(orgs[alias]).toBeDefined();
    expect(orgs[alias].username).toBeUndefined();
    expect(orgs[alias].accessToken).toBe(token);
  });

  it("stores the config under $XDG_CONFIG_HOME/sfkit when SFKIT_CONFIG_DIR is not set", async () => {
    const xdg = tempDir();
    const r = await run(["org", "login", "soap", "-u", user.username, "-r", emulator.loginUrl], {
      env: { XDG_CONFIG_HOME: xdg, SF_PASSWORD: user.password + user.securityToken },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(xdg, "sfkit", "orgs.json")).mode & 0o777).toBe(0o600);
  });

  it("says which config file is broken", async () => {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "orgs.json"), "{ not json");
    const r = await run(["org", "list"], { env: { SFKIT_CONFIG_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, "orgs.json"));
  });
});
