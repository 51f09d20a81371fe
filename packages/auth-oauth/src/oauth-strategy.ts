import { inspect } from "node:util";
import {
  type AuthContext,
  type AuthStrategy,
  ConfigurationError,
  redactSecrets,
  SalesforceGeneralError,
  type Session,
} from "@sfkit/core";
import { PKG, requestToken, sessionFromToken, type TokenResponse } from "./token-request.js";

/** Every OAuth strategy exposes its kind and the login URL it talks to. */
export interface OAuthStrategy extends AuthStrategy {
  readonly loginUrl: string;
}

export interface GrantDefinition {
  kind: string;
  /** The grant's short name for messages ("password", "jwt-bearer", ...). */
  grant: string;
  loginUrl: string;
  /** Where the token request goes, when not the login URL (JWT `instanceUrl`). */
  tokenUrl?: string;
  /** Builds the form fields and headers of one token request (a fresh JWT each time, ...). */
  build(): { params: Record<string, string>; headers?: Record<string, string> };
  /** Secrets the strategy holds (passwords, keys...), not counting the tokens it receives. */
  secrets(): Array<string | undefined>;
  consumerKey?: string;
  /** Called with each token response, e.g. to keep a rotated refresh token. */
  onToken?(token: TokenResponse, ctx: AuthContext): void;
  /** A session to start with, so that the first call needs no token request. */
  initial?: Session;
  /** Shown by util.inspect (no secrets). */
  describe: Record<string, string>;
}

/**
 * Builds an AuthStrategy around one grant: login runs the grant, refresh runs it again
 * (re-signing, re-using the refresh token, re-requesting client credentials), logout
 * revokes the access token.
 */
export function oauthStrategy(definition: GrantDefinition): OAuthStrategy {
  const issued = new Set<string>();
  const secrets = () =>
    [...definition.secrets(), ...issued].filter((s): s is string => typeof s === "string" && s.length > 0);
  let first = definition.initial;
  const run = async (ctx: AuthContext): Promise<Session> => {
    const { params, headers } = definition.build();
    const token = await requestToken(ctx, {
      loginUrl: definition.tokenUrl ?? definition.loginUrl,
      params,
      ...(headers ? { headers } : {}),
      grant: definition.grant,
      secrets,
      ...(definition.consumerKey ? { consumerKey: definition.consumerKey } : {}),
    });
    issued.add(token.access_token);
    if (token.refresh_token) issued.add(token.refresh_token);
    while (issued.size > 16) issued.delete(issued.values().next().value as string);
    definition.onToken?.(token, ctx);
    return sessionFromToken(token, definition.kind);
  };
  const strategy: OAuthStrategy = {
    kind: definition.kind,
    loginUrl: definition.loginUrl,
    async login(ctx) {
      if (first) {
        const given = first;
        first = undefined;
        return given;
      }
      return run(ctx);
    },
    refresh(ctx) {
      ctx.log.info(`[${PKG}] access token expired; running the ${definition.grant} grant again`);
      return run(ctx);
    },
    async logout(ctx, session) {
      const url = `${definition.tokenUrl ?? definition.loginUrl}/services/oauth2/revoke`;
      const response = await ctx.send({
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ token: session.accessToken }).toString(),
        responseType: "text",
      });
      if (response.status === 200) return;
      let data: unknown = response.data;
      if (typeof data === "string") {
        try {
          data = JSON.parse(data);
        } catch {
          // keep the text
        }
      }
      const error =
        data && typeof data === "object" ? String((data as Record<string, unknown>).error ?? "") : "";
      // Salesforce answers an unknown, expired or already revoked token with unsupported_token_type.
      if (error === "invalid_token" || error === "unsupported_token_type") {
        ctx.log.debug(`[${PKG}] logout: the token had already been revoked`);
        return;
      }
      const description =
        data && typeof data === "object"
          ? String((data as Record<string, unknown>).error_description ?? "")
          : String(data ?? "").slice(0, 200);
      throw new SalesforceGeneralError(
        redactSecrets(
          `[${PKG}] revoking the access token failed: ${error || response.status}: ${description}`,
          secrets(),
        ),
        {
          status: response.status,
          method: "POST",
          url,
          ...(error ? { errorCode: error, code: error } : {}),
        },
      );
    },
    secrets,
  };
  const shown = Object.entries({ loginUrl: definition.loginUrl, ...definition.describe })
    .map(([k, v]) => `${k}: '${v}'`)
    .join(", ");
  const name = definition.kind
    .split("-")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
  Object.defineProperty(strategy, inspect.custom, { value: () => `${name} { ${shown} }`, enumerable: false });
  return strategy;
}

export function requireString(options: Record<string, unknown>, name: string, hint: string): string {
  const value = options[name];
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigurationError(`[${PKG}] ${name} is required: ${hint}`);
  }
  return value;
}

export function optionalString(options: Record<string, unknown>, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ConfigurationError(`[${PKG}] ${name} must be a string.`);
  return value;
}

export function requireOptions(options: unknown, call: string): Record<string, unknown> {
  if (!options || typeof options !== "object") {
    throw new ConfigurationError(`[${PKG}] ${call} needs an options object.`);
  }
  return options as Record<string, unknown>;
}
