import { type Emulator, type EmulatorOptions, startEmulator } from "@sfkit/emulator";
import { type RunResult, run, tempDir } from "./cli.js";

export interface TestOrg {
  emulator: Emulator;
  /** Environment for run(): a private config dir whose default org is the emulator. */
  env: Record<string, string>;
  /** The secrets of this org: none of them may appear in any output. */
  secrets: string[];
  sfkit(args: string[], options?: Parameters<typeof run>[1]): Promise<RunResult>;
  close(): Promise<void>;
}

/** Starts an emulator and saves it as the default org of a fresh config dir (SOAP login). */
export async function startTestOrg(options: EmulatorOptions = {}): Promise<TestOrg> {
  const emulator = await startEmulator({ port: 0, ...options });
  const user = emulator.users[0]!;
  const env = { SFKIT_CONFIG_DIR: tempDir("sfkit-config-") };
  const login = await run(
    ["org", "login", "soap", "--alias", "emu", "--username", user.username, "--login-url", emulator.loginUrl],
    { env: { ...env, SF_PASSWORD: user.password, SF_SECURITY_TOKEN: user.securityToken } },
  );
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  const { readFileSync } = await import("node:fs");
  const saved = JSON.parse(readFileSync(`${env.SFKIT_CONFIG_DIR}/orgs.json`, "utf8"));
  const secrets = [user.password, `${user.password}${user.securityToken}`, saved.orgs.emu.accessToken].filter(
    (s: string) => s && s.length >= 8,
  );
  return {
    emulator,
    env,
    secrets,
    sfkit: (args, opts = {}) => run(args, { ...opts, env: { ...env, ...opts.env } }),
    close: () => emulator.close(),
  };
}

/** Fails when any secret appears in the output. */
export function expectNoSecrets(result: RunResult, secrets: string[]): void {
  for (const secret of secrets) {
    if (result.stdout.includes(secret) || result.stderr.includes(secret)) {
      throw new Error(`a secret appeared in the output of a command (${secret.slice(0, 3)}…)`);
    }
  }
}
