import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CONNECTED_APP, type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunResult, run, tempDir } from "./support/cli.js";

let emulator: Emulator;
const app = DEFAULT_CONNECTED_APP;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: "demo" });
});
afterAll(() => emulator.close());

function saved(dir: string, alias: string) {
  return JSON.parse(readFileSync(join(dir, "orgs.json"), "utf8")).orgs[alias];
}

function noSecret(result: RunResult, ...secrets: string[]) {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe("sfkit org login oauth / jwt", () => {
  it("logs in with the JWT bearer flow, and renews and saves back an expired token by itself", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "server.key"), app.privateKey!);
    const env = { SFKIT_CONFIG_DIR: dir };
    const login = await run(
      [
        "org",
        "login",
        "jwt",
        "-a",
        "ci",
        "--client-id",
        app.consumerKey,
        "--jwt-key-file",
        "server.key",
        "-u",
        "admin@sfkit.test",
        "-r",
        emulator.loginUrl,
      ],
      { env, cwd: dir },
    );
    expect(login.code, login.stderr).toBe(0);
    const first = saved(dir, "ci");
    expect(first).toMatchObject({
      authMethod: "jwt",
      privateKeyFile: join(dir, "server.key"),
      clientId: app.consumerKey,
    });
    expect(JSON.stringify(first)).not.toContain("PRIVATE KEY");
    expect(statSync(join(dir, "orgs.json")).mode & 0o777).toBe(0o600);

    emulator.faults.next({
      path: /limits/,
      status: 401,
      body: [{ errorCode: "INVALID_SESSION_ID", message: "Session expired or invalid" }],
    });
    const after = await run(["limits", "--json"], { env });
    expect(after.code, after.stdout).toBe(0);
    const second = saved(dir, "ci");
    expect(second.accessToken).not.toBe(first.accessToken);
    noSecret(after, first.accessToken, second.accessToken);
  });

  it("names the --jwt-key-file that is not there (exit 2), not ENOENT", async () => {
    const dir = tempDir();
    const args = ["org", "login", "jwt", "--client-id", app.consumerKey, "--jwt-key-file", "missing.key"];
    const result = await run([...args, "-u", "admin@sfkit.test", "-r", emulator.loginUrl], {
      env: { SFKIT_CONFIG_DIR: dir },
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("file not found: missing.key (from --jwt-key-file)");
    expect(result.stderr).not.toContain("ENOENT");
  });

  it("names SF_PRIVATE_KEY_FILE, or the org whose saved key file is gone, not jwtBearerGrant's option", async () => {
    const dir = tempDir();
    const fromEnv = await run(["limits"], {
      env: {
        SFKIT_CONFIG_DIR: dir,
        SF_CLIENT_ID: app.consumerKey,
        SF_USERNAME: "admin@sfkit.test",
        SF_PRIVATE_KEY_FILE: join(dir, "gone.key"),
        SF_LOGIN_URL: emulator.loginUrl,
      },
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain(`file not found: ${join(dir, "gone.key")} (from SF_PRIVATE_KEY_FILE)`);

    writeFileSync(join(dir, "server.key"), app.privateKey!);
    const env = { SFKIT_CONFIG_DIR: dir };
    const login = await run(
      ["org", "login", "jwt", "-a", "ci", "--client-id", app.consumerKey, "--jwt-key-file", "server.key"],
      { env: { ...env, SF_USERNAME: "admin@sfkit.test", SF_LOGIN_URL: emulator.loginUrl }, cwd: dir },
    );
    expect(login.code, login.stderr).toBe(0);
    rmSync(join(dir, "server.key"));
    const later = await run(["limits", "-o", "ci"], { env });
    expect(later.code).toBe(2);
    expect(later.stderr).toContain(
      `file not found: ${join(dir, "server.key")} (from the --jwt-key-file saved with org "ci")`,
    );
    expect(later.stderr).toContain("sfkit org login jwt -a ci");
  });

  it("logs in with the client credentials grant and keeps the secret out of every output", async () => {
    const dir = tempDir();
    const env = { SFKIT_CONFIG_DIR: dir, SF_CLIENT_SECRET: app.consumerSecret };
    const login = await run(
      [
        "org",
        "login",
        "oauth",
        "-a",
        "cc",
        "--client-id",
        app.consumerKey,
        "-r",
        emulator.loginUrl,
        "--json",
      ],
      { env },
    );
    expect(login.code, login.stdout).toBe(0);
    expect(login.json().result).toMatchObject({ alias: "cc", authMethod: "oauth-client-credentials" });
    const list = await run(["org", "list", "--json"], { env });
    const display = await run(["org", "display"], { env });
    noSecret(login, app.consumerSecret, saved(dir, "cc").accessToken);
    noSecret(list, app.consumerSecret);
    noSecret(display, app.consumerSecret);
    const noDomain = await run(["org", "login", "oauth", "--client-id", app.consumerKey], { env });
    expect(noDomain.code).toBe(2);
    expect(noDomain.stderr).toContain("My Domain");
  });

  it("logs in with the OAuth password grant, and a bad secret is an auth failure (exit 4)", async () => {
    const user = emulator.users[0]!;
    const dir = tempDir();
    const env = { SFKIT_CONFIG_DIR: dir, SF_PASSWORD: user.password + user.securityToken };
    const ok = await run(
      [
        "org",
        "login",
        "oauth",
        "--client-id",
        app.consumerKey,
        "--client-secret",
        app.consumerSecret,
        "-u",
        user.username,
        "-r",
        emulator.loginUrl,
      ],
      { env },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(saved(dir, user.username).authMethod).toBe("oauth-password");
    const bad = await run(
      [
        "org",
        "login",
        "oauth",
        "--client-id",
        app.consumerKey,
        "--client-secret",
        "WrongSecret123",
        "-u",
        user.username,
        "-r",
        emulator.loginUrl,
        "--json",
      ],
      { env },
    );
    expect(bad.code).toBe(4);
    noSecret(bad, "WrongSecret123", user.password);
  });
});
