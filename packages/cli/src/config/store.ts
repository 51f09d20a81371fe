import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../framework/errors.js";

export type AuthMethod = "soap" | "oauth-password" | "oauth-client-credentials" | "jwt" | "session";

/** One saved org. `accessToken`, `refreshToken` and `clientSecret` are secrets: never printed. */
export interface OrgEntry {
  alias: string;
  username?: string;
  instanceUrl: string;
  /** Where to log in again (JWT, client credentials): https://login.salesforce.com or a My Domain. */
  loginUrl?: string;
  authMethod: AuthMethod;
  accessToken: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** JWT: the path of the private key file (the key itself is not copied). */
  privateKeyFile?: string;
  orgId?: string;
  userId?: string;
  apiVersion?: string;
  savedAt: string;
}

export interface ConfigFile {
  version: 1;
  defaultOrg?: string;
  orgs: Record<string, OrgEntry>;
}

/** `$SFKIT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/sfkit`, else `~/.config/sfkit`. */
export function configDir(env: Record<string, string | undefined>): string {
  if (env.SFKIT_CONFIG_DIR) return env.SFKIT_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "sfkit");
  return join(env.HOME || homedir(), ".config", "sfkit");
}

/** The saved orgs, in `<configDir>/orgs.json`, written with mode 0600 (it holds tokens). */
export class ConfigStore {
  readonly dir: string;
  readonly file: string;

  constructor(dir: string) {
    this.dir = dir;
    this.file = join(dir, "orgs.json");
  }

  async read(): Promise<ConfigFile> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, orgs: {} };
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Partial<ConfigFile>;
      if (!parsed || typeof parsed !== "object" || typeof parsed.orgs !== "object" || parsed.orgs === null)
        throw new Error('it has no "orgs" object');
      return {
        version: 1,
        orgs: parsed.orgs,
        ...(parsed.defaultOrg ? { defaultOrg: parsed.defaultOrg } : {}),
      };
    } catch (error) {
      throw new UsageError(
        `${this.file} cannot be read (${(error as Error).message}). Fix it, or delete it and log in again.`,
        { code: "ERR_CONFIG_FILE" },
      );
    }
  }

  async write(config: ConfigFile): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.file);
  }

  /** Finds an org by alias or username. */
  async find(aliasOrUsername: string): Promise<OrgEntry | undefined> {
    const config = await this.read();
    return (
      config.orgs[aliasOrUsername] ??
      Object.values(config.orgs).find((o) => o.username?.toLowerCase() === aliasOrUsername.toLowerCase())
    );
  }

  async save(entry: OrgEntry, options: { setDefault?: boolean } = {}): Promise<void> {
    const config = await this.read();
    config.orgs[entry.alias] = entry;
    if (options.setDefault || !config.defaultOrg || !config.orgs[config.defaultOrg])
      config.defaultOrg = entry.alias;
    await this.write(config);
  }

  /** Replaces the tokens of a saved org after a refresh. */
  async updateTokens(
    alias: string,
    tokens: { accessToken: string; instanceUrl?: string; refreshToken?: string },
  ) {
    const config = await this.read();
    const entry = config.orgs[alias];
    if (!entry) return;
    entry.accessToken = tokens.accessToken;
    if (tokens.instanceUrl) entry.instanceUrl = tokens.instanceUrl;
    if (tokens.refreshToken) entry.refreshToken = tokens.refreshToken;
    entry.savedAt = new Date().toISOString();
    await this.write(config);
  }

  async remove(alias: string): Promise<OrgEntry | undefined> {
    const config = await this.read();
    const entry = config.orgs[alias];
    if (!entry) return undefined;
    delete config.orgs[alias];
    if (config.defaultOrg === alias) {
      const rest = Object.keys(config.orgs);
      if (rest.length === 1) config.defaultOrg = rest[0];
      else delete config.defaultOrg;
    }
    await this.write(config);
    return entry;
  }

  async setDefault(alias: string): Promise<void> {
    const config = await this.read();
    config.defaultOrg = alias;
    await this.write(config);
  }
}

/** An org as it may be shown: no secret, only whether one is held. */
export function publicView(entry: OrgEntry, isDefault: boolean): Record<string, unknown> {
  return {
    alias: entry.alias,
    username: entry.username ?? null,
    instanceUrl: entry.instanceUrl,
    loginUrl: entry.loginUrl ?? null,
    authMethod: entry.authMethod,
    orgId: entry.orgId ?? null,
    userId: entry.userId ?? null,
    apiVersion: entry.apiVersion ?? null,
    clientId: entry.clientId ?? null,
    isDefault,
    hasRefreshToken: Boolean(entry.refreshToken),
    savedAt: entry.savedAt,
  };
}
