import { ConfigurationError, createSession } from "@sfkit/core";
import { resolveLoginUrl } from "@sfkit/core";
import {
  type OAuthStrategy,
  oauthStrategy,
  optionalString,
  requireOptions,
  requireString,
} from "./oauth-strategy.js";
import { PKG } from "./token-request.js";

export interface RefreshTokenGrantOptions {
  refreshToken: string;
  /** The connected app's Consumer Key (client_id). */
  consumerKey: string;
  /** The Consumer Secret, when the app requires it for the refresh flow. */
  consumerSecret?: string | undefined;
  /** "login" (default), "test", a My Domain ("acme.my"), a host or a URL. */
  domain?: string | undefined;
  /** A full login URL; the same as a URL in `domain`. */
  loginUrl?: string | undefined;
  /** A current access token, used until it expires (needs `instanceUrl`). */
  accessToken?: string | undefined;
  /** The instance URL that goes with `accessToken`. */
  instanceUrl?: string | undefined;
  /** Called with the new refresh token when the connected app rotates refresh tokens. */
  onRefreshToken?: ((refreshToken: string) => void) | undefined;
}

/**
 * The OAuth 2.0 refresh token flow: gets an access token from a refresh token (from a
 * web-server or device login done elsewhere), and again whenever it expires. A rotated
 * refresh token replaces the old one (and is handed to `onRefreshToken`).
 */
export function refreshTokenGrant(options: RefreshTokenGrantOptions): OAuthStrategy {
  const bag = requireOptions(options, "refreshTokenGrant()");
  let refreshToken = requireString(bag, "refreshToken", "give the refresh token the authorization gave you.");
  const consumerKey = requireString(bag, "consumerKey", "give the connected app's Consumer Key.");
  const consumerSecret = optionalString(bag, "consumerSecret");
  const accessToken = optionalString(bag, "accessToken");
  const instanceUrl = optionalString(bag, "instanceUrl");
  if ((accessToken === undefined) !== (instanceUrl === undefined)) {
    throw new ConfigurationError(
      `[${PKG}] accessToken and instanceUrl go together: give both to start with an existing session, or neither.`,
    );
  }
  if (options.onRefreshToken !== undefined && typeof options.onRefreshToken !== "function") {
    throw new ConfigurationError(`[${PKG}] onRefreshToken must be a function.`);
  }
  const loginUrl = resolveLoginUrl({ domain: options.domain, loginUrl: options.loginUrl }, PKG);
  const previous: string[] = [];
  let initial: ReturnType<typeof createSession> | undefined;
  if (accessToken && instanceUrl) {
    if (!/^https?:\/\/[^/]/i.test(instanceUrl)) {
      throw new ConfigurationError(
        `[${PKG}] instanceUrl must be a URL such as https://acme.my.salesforce.com, not ${JSON.stringify(instanceUrl)}.`,
      );
    }
    initial = createSession({
      accessToken,
      instanceUrl: instanceUrl.replace(/\/+$/, ""),
      info: { kind: "oauth-refresh-token" },
    });
  }
  return oauthStrategy({
    kind: "oauth-refresh-token",
    grant: "refresh_token",
    loginUrl,
    consumerKey,
    ...(initial ? { initial } : {}),
    build: () => ({
      params: {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: consumerKey,
        ...(consumerSecret ? { client_secret: consumerSecret } : {}),
      },
    }),
    onToken: (token, ctx) => {
      if (token.refresh_token && token.refresh_token !== refreshToken) {
        previous.push(refreshToken);
        refreshToken = token.refresh_token;
        try {
          options.onRefreshToken?.(refreshToken);
        } catch (error) {
          ctx.log.error(
            `[${PKG}] onRefreshToken threw: ${(error as Error)?.name ?? "Error"}; the new refresh token is kept in memory`,
          );
        }
      }
    },
    secrets: () => [refreshToken, ...previous, consumerSecret, accessToken],
    describe: { consumerKey },
  });
}
