import { apex } from "@sfkit/apex";
import { clientCredentialsGrant, jwtBearerGrant, passwordGrant, refreshTokenGrant } from "@sfkit/auth-oauth";
import { soapLogin } from "@sfkit/auth-soap";
import { bulk } from "@sfkit/bulk";
import {
  type AuthContext,
  type AuthStrategy,
  createClient,
  createSession,
  fileReadError,
  normalizeInstanceUrl,
  type Session,
} from "@sfkit/core";
import { rest } from "@sfkit/rest";
import { undiciTransport } from "@sfkit/transport-undici";
import type { ConfigStore, OrgEntry } from "../config/store.js";
import { AuthRequiredError, UsageError } from "../framework/errors.js";
import type { Output } from "../framework/output.js";
import type { SecretSet } from "../framework/redact.js";

/** The client every command uses: core + REST + Bulk + Apex REST. */
export function buildClient(
  auth: AuthStrategy,
  apiVersion: string | undefined,
  env: Record<string, string | undefined> = {},
) {
  // SFKIT_POLL_INTERVAL_MS: how often bulk jobs are checked (default 1 s, growing to 10 s).
  const poll = Number(env.SFKIT_POLL_INTERVAL_MS);
  const pollOptions =
    Number.isFinite(poll) && poll > 0
      ? { pollInterval: poll, maxPollInterval: Math.max(poll, 10 * poll) }
      : {};
  // undici's pooled transport (@sfkit/transport-undici), unless SFKIT_TRANSPORT=node-fetch asks for core's default.
  const transport = env.SFKIT_TRANSPORT === "node-fetch" ? {} : { transport: undiciTransport() };
  // HTTPS_PROXY / HTTP_PROXY and NO_PROXY from the (injected) environment; loopback (the emulator) goes direct.
  const proxyUrl = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  const noProxy = [env.NO_PROXY ?? env.no_proxy ?? "", "localhost", "127.0.0.1", "::1"]
    .filter(Boolean)
    .join(",");
  const proxy = proxyUrl ? { proxy: { url: proxyUrl, noProxy } } : {};
  return createClient({
    auth,
    clientId: "sfkit-cli",
    ...transport,
    ...proxy,
    ...(apiVersion ? { apiVersion } : {}),
  })
    .extend(rest())
    .extend(bulk(pollOptions))
    .extend(apex());
}

export type CliClient = ReturnType<typeof buildClient>;

export interface OrgConnection {
  client: CliClient;
  /** The saved org's alias, or "(environment)" when SF_* variables gave the credentials. */
  alias: string;
  username: string | undefined;
  /** Where the org came from, for messages. */
  source: "flag" | "SF_TARGET_ORG" | "environment" | "default";
  close(): Promise<void>;
}

export interface ConnectOptions {
  config: ConfigStore;
  env: Record<string, string | undefined>;
  targetOrg: string | undefined;
  apiVersion: string | undefined;
  secrets: SecretSet;
  out: Output;
}

/**
 * jwtBearerGrant() reads its key file at once and names its own option when the file is
 * gone; the CLI names where the path came from instead (a saved org, SF_PRIVATE_KEY_FILE).
 */
function keyFileNamed(option: string, path: string, hint: string, grant: () => AuthStrategy): AuthStrategy {
  try {
    return grant();
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_FILE_NOT_FOUND") throw error;
    throw fileReadError({
      path,
      option,
      hint,
      cause: (error as Error).cause,
    });
  }
}

/** A strategy for a saved org: its saved token first, a new one (saved back) when it expires. */
function savedOrgStrategy(entry: OrgEntry, store: ConfigStore, secrets: SecretSet): AuthStrategy {
  const stored = createSession({ accessToken: entry.accessToken, instanceUrl: entry.instanceUrl });
  let renew: AuthStrategy | undefined;
  const loginUrl = entry.loginUrl ? { loginUrl: entry.loginUrl } : {};
  if (entry.authMethod === "jwt" && entry.clientId && entry.privateKeyFile && entry.username) {
    const { username, clientId, privateKeyFile } = entry;
    renew = keyFileNamed(
      `the --jwt-key-file saved with org "${entry.alias}"`,
      privateKeyFile,
      `Log in again: sfkit org login jwt -a ${entry.alias} --jwt-key-file <the key>.`,
      () => jwtBearerGrant({ username, consumerKey: clientId, privateKeyFile, ...loginUrl }),
    );
  } else if (entry.refreshToken && entry.clientId) {
    renew = refreshTokenGrant({
      refreshToken: entry.refreshToken,
      consumerKey: entry.clientId,
      ...(entry.clientSecret ? { consumerSecret: entry.clientSecret } : {}),
      ...loginUrl,
      onRefreshToken: (token) => {
        secrets.add(token);
        void store.updateTokens(entry.alias, { accessToken: entry.accessToken, refreshToken: token });
      },
    });
  } else if (entry.authMethod === "oauth-client-credentials" && entry.clientId && entry.clientSecret) {
    renew = clientCredentialsGrant({
      consumerKey: entry.clientId,
      consumerSecret: entry.clientSecret,
      ...loginUrl,
    });
  }
  return {
    kind: `saved-${entry.authMethod}`,
    login: async () => stored,
    ...(renew
      ? {
          async refresh(ctx: AuthContext, expired: Session): Promise<Session> {
            const fresh = await (renew.refresh ? renew.refresh(ctx, expired) : renew.login(ctx));
            secrets.add(fresh.accessToken);
            await store.updateTokens(entry.alias, {
              accessToken: fresh.accessToken,
              instanceUrl: fresh.instanceUrl,
            });
            return fresh;
          },
        }
      : {}),
    ...(renew?.logout ? { logout: renew.logout.bind(renew) } : {}),
    secrets: () =>
      [entry.accessToken, entry.refreshToken, entry.clientSecret, ...(renew?.secrets?.() ?? [])].filter(
        (s): s is string => Boolean(s),
      ),
  };
}

/** Login URL options from SF_LOGIN_URL / SF_DOMAIN. */
export function loginTarget(env: Record<string, string | undefined>): { loginUrl?: string; domain?: string } {
  if (env.SF_LOGIN_URL) return { loginUrl: env.SF_LOGIN_URL };
  if (env.SF_DOMAIN) return { domain: env.SF_DOMAIN };
  return {};
}

/** Credentials from SF_* variables alone, or undefined when none are complete. */
export function strategyFromEnv(env: Record<string, string | undefined>): AuthStrategy | undefined {
  const target = loginTarget(env);
  if (env.SF_ACCESS_TOKEN) {
    if (!env.SF_INSTANCE_URL)
      throw new UsageError(
        "SF_ACCESS_TOKEN is set but SF_INSTANCE_URL is not: set both (e.g. https://acme.my.salesforce.com).",
      );
    const session = createSession({
      accessToken: env.SF_ACCESS_TOKEN,
      instanceUrl: normalizeInstanceUrl(env.SF_INSTANCE_URL),
    });
    return { kind: "session", login: async () => session, secrets: () => [env.SF_ACCESS_TOKEN!] };
  }
  if (env.SF_CLIENT_ID && env.SF_PRIVATE_KEY_FILE) {
    if (!env.SF_USERNAME)
      throw new UsageError(
        "SF_PRIVATE_KEY_FILE is set (JWT login) but SF_USERNAME is not: set the user to log in as.",
      );
    const { SF_USERNAME: username, SF_CLIENT_ID: consumerKey, SF_PRIVATE_KEY_FILE: privateKeyFile } = env;
    return keyFileNamed(
      "SF_PRIVATE_KEY_FILE",
      privateKeyFile,
      "Set it to the PEM private key whose certificate the connected app holds.",
      () => jwtBearerGrant({ username, consumerKey, privateKeyFile, ...target }),
    );
  }
  if (env.SF_USERNAME && env.SF_PASSWORD) {
    if (env.SF_CLIENT_ID && env.SF_CLIENT_SECRET) {
      return passwordGrant({
        username: env.SF_USERNAME,
        password: env.SF_PASSWORD,
        securityToken: env.SF_SECURITY_TOKEN,
        consumerKey: env.SF_CLIENT_ID,
        consumerSecret: env.SF_CLIENT_SECRET,
        ...target,
      });
    }
    return soapLogin({
      username: env.SF_USERNAME,
      password: env.SF_PASSWORD,
      securityToken: env.SF_SECURITY_TOKEN,
      ...target,
    });
  }
  if (env.SF_CLIENT_ID && env.SF_CLIENT_SECRET) {
    const loginUrl = env.SF_LOGIN_URL ?? env.SF_INSTANCE_URL;
    return clientCredentialsGrant({
      consumerKey: env.SF_CLIENT_ID,
      consumerSecret: env.SF_CLIENT_SECRET,
      ...(loginUrl ? { loginUrl } : target),
    });
  }
  return undefined;
}

/** Resolves the target org (flag, SF_TARGET_ORG, SF_* credentials, default) into a client. */
export async function connectOrg(options: ConnectOptions): Promise<OrgConnection> {
  const { config, env, secrets } = options;
  const apiVersion = options.apiVersion ?? env.SF_API_VERSION;
  const wanted = options.targetOrg ?? env.SF_TARGET_ORG;
  const source = options.targetOrg ? "flag" : env.SF_TARGET_ORG ? "SF_TARGET_ORG" : undefined;
  const wrap = (
    client: CliClient,
    alias: string,
    username: string | undefined,
    from: OrgConnection["source"],
  ) => ({
    client,
    alias,
    username,
    source: from,
    close: () => client.close(),
  });
  if (wanted) {
    const entry = await config.find(wanted);
    if (!entry) {
      const known = Object.keys((await config.read()).orgs);
      throw new AuthRequiredError(
        `No saved org is called "${wanted}"${source === "SF_TARGET_ORG" ? " (from SF_TARGET_ORG)" : ""}.`,
        {
          code: "ERR_NO_SUCH_ORG",
          actions: [
            known.length ? `Saved orgs: ${known.join(", ")}.` : "No org is saved yet.",
            `Log in: sfkit org login soap --alias ${wanted} --username <user>`,
          ],
        },
      );
    }
    secrets.add(entry.accessToken, entry.refreshToken, entry.clientSecret);
    const client = buildClient(savedOrgStrategy(entry, config, secrets), apiVersion ?? entry.apiVersion, env);
    return wrap(client, entry.alias, entry.username, source ?? "flag");
  }
  const fromEnv = strategyFromEnv(env);
  if (fromEnv) {
    secrets.add(...(fromEnv.secrets?.() ?? []));
    return wrap(buildClient(fromEnv, apiVersion, env), "(environment)", env.SF_USERNAME, "environment");
  }
  const file = await config.read();
  const entry = file.defaultOrg ? file.orgs[file.defaultOrg] : undefined;
  if (!entry) {
    throw new AuthRequiredError("No org to use: no --target-org, no SF_* credentials and no default org.", {
      code: "ERR_NO_ORG",
      actions: [
        "Log in and save an org: sfkit org login soap --alias dev --username me@example.com --set-default",
        "Or set SF_INSTANCE_URL and SF_ACCESS_TOKEN (see sfkit help environment).",
      ],
    });
  }
  secrets.add(entry.accessToken, entry.refreshToken, entry.clientSecret);
  const client = buildClient(savedOrgStrategy(entry, config, secrets), apiVersion ?? entry.apiVersion, env);
  return wrap(client, entry.alias, entry.username, "default");
}
