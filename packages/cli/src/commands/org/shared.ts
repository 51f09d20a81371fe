import { resolve } from "node:path";
import type { AuthStrategy } from "@sfkit/core";
import type { AuthMethod, OrgEntry } from "../../config/store.js";
import { publicView } from "../../config/store.js";
import type { CommandContext, FlagSpec } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import { renderKeyValue } from "../../format/table.js";
import { orgRows } from "./org-rows.js";

export const aliasFlag: FlagSpec = {
  type: "string",
  char: "a",
  placeholder: "alias",
  summary: "Save the org under this name (default: the username, or the instance host).",
};
/** The connected app's consumer key (OAuth and JWT logins). */
export const clientIdFlag = {
  type: "string",
  char: "i",
  placeholder: "consumer key",
  env: "SF_CLIENT_ID",
  required: true,
  summary: "The connected app's consumer key.",
} as const satisfies FlagSpec;
export const setDefaultFlag: FlagSpec = {
  type: "boolean",
  char: "d",
  summary: "Make this org the default target org (the first saved org becomes the default anyway).",
};
export const domainFlag: FlagSpec = {
  type: "string",
  placeholder: "login|test|<mydomain>.my",
  env: "SF_DOMAIN",
  summary: "Where to log in: login (production), test (sandbox) or a My Domain prefix such as acme.my.",
};
export const loginUrlFlag: FlagSpec = {
  type: "string",
  char: "r",
  placeholder: "url",
  env: "SF_LOGIN_URL",
  summary: "A full login URL instead of --domain, e.g. https://acme.my.salesforce.com or the emulator's URL.",
};
export const loginApiVersionFlag: FlagSpec = {
  type: "string",
  placeholder: "NN.0",
  env: "SF_API_VERSION",
  summary: "API version to save with the org (used by later commands unless --api-version says otherwise).",
};

const ALIAS = /^[A-Za-z0-9][\w.@+-]*$/;

export function loginTarget(flags: { "login-url"?: string | undefined; domain?: string | undefined }) {
  if (flags["login-url"] && flags.domain) throw new UsageError("Give --login-url or --domain, not both.");
  if (flags["login-url"]) return { loginUrl: flags["login-url"] };
  if (flags.domain) return { domain: flags.domain };
  return {};
}

/** Logs in with the strategy, then saves the org (tokens in a 0600 file) and shows it without secrets. */
export async function loginAndSave(
  ctx: CommandContext,
  strategy: AuthStrategy,
  fields: {
    authMethod: AuthMethod;
    username?: string | undefined;
    loginUrl?: string | undefined;
    clientId?: string | undefined;
    clientSecret?: string | undefined;
    privateKeyFile?: string | undefined;
    refreshToken?: string | undefined;
  },
): Promise<Record<string, unknown>> {
  const { buildClient } = await import("../../org/connect.js");
  const flags = ctx.flags as Record<string, string | boolean | undefined>;
  const apiVersion = flags["api-version"] as string | undefined;
  const client = buildClient(strategy, apiVersion);
  try {
    const session = await client.session();
    let username = fields.username;
    if (fields.authMethod === "session") {
      // A session token says nothing about itself: check that it works before saving it.
      await client.request({ path: "limits" });
      username ??= await usernameOf(client);
    }
    const alias =
      (flags.alias as string | undefined) ?? username ?? new URL(session.instanceUrl).host.split(".")[0]!;
    if (!ALIAS.test(alias))
      throw new UsageError(
        `--alias ${JSON.stringify(alias)} is not a usable name: use letters, digits, and . _ - @ + (no spaces).`,
      );
    const entry: OrgEntry = {
      alias,
      ...(username ? { username } : {}),
      instanceUrl: session.instanceUrl,
      ...(fields.loginUrl ? { loginUrl: fields.loginUrl } : {}),
      authMethod: fields.authMethod,
      accessToken: session.accessToken,
      ...(fields.refreshToken ? { refreshToken: fields.refreshToken } : {}),
      ...(fields.clientId ? { clientId: fields.clientId } : {}),
      ...(fields.clientSecret ? { clientSecret: fields.clientSecret } : {}),
      ...(fields.privateKeyFile ? { privateKeyFile: resolve(ctx.io.cwd, fields.privateKeyFile) } : {}),
      ...(session.organizationId ? { orgId: session.organizationId } : {}),
      ...(session.userId ? { userId: session.userId } : {}),
      ...(apiVersion ? { apiVersion: client.apiVersion } : {}),
      savedAt: new Date().toISOString(),
    };
    await ctx.config.save(entry, { setDefault: Boolean(flags["set-default"]) });
    const file = await ctx.config.read();
    const view = publicView(entry, file.defaultOrg === alias);
    if (!ctx.json) {
      await ctx.out.print(
        `Logged in${entry.username ? ` as ${entry.username}` : ""} and saved the org as "${alias}"${view.isDefault ? " (the default org)" : ""}.\n`,
      );
      await ctx.out.print(renderKeyValue(orgRows(view, client.apiVersion)));
    }
    return view;
  } finally {
    await client.close();
  }
}

/**
 * Who a bare session belongs to, for `org list` and `--target-org <username>`: OAuth's
 * userinfo answers for most tokens. Best effort: a token without that access (no `openid`
 * scope) still logs in, only without a username.
 */
async function usernameOf(client: { request(options: { path: string }): Promise<{ data: unknown }> }) {
  try {
    const { data } = await client.request({ path: "/services/oauth2/userinfo" });
    const name = (data as { preferred_username?: unknown } | null)?.preferred_username;
    return typeof name === "string" && name ? name : undefined;
  } catch {
    return undefined;
  }
}

/** The SOAP and password logins need a password; it may come from a flag, SF_PASSWORD or stdin. */
export async function readSecretFromStdin(ctx: CommandContext, what: string): Promise<string> {
  if (!ctx.io.stdin) throw new UsageError(`--${what}-stdin was given but there is no standard input.`);
  let text = "";
  for await (const chunk of ctx.io.stdin)
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  const value = text.replace(/\r?\n$/, "");
  if (!value) throw new UsageError(`--${what}-stdin was given but standard input was empty.`);
  return value;
}
