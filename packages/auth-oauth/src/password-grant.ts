import { resolveLoginUrl } from "@sfkit/core";
import {
  type OAuthStrategy,
  oauthStrategy,
  optionalString,
  requireOptions,
  requireString,
} from "./oauth-strategy.js";
import { PKG } from "./token-request.js";

export interface PasswordGrantOptions {
  username: string;
  password: string;
  /** Appended to the password, as Salesforce expects (or append it yourself). */
  securityToken?: string | undefined;
  /** The connected app's Consumer Key (client_id). */
  consumerKey: string;
  /** The connected app's Consumer Secret (client_secret). */
  consumerSecret: string;
  /** "login" (default), "test", a My Domain ("acme.my"), a host or a URL. */
  domain?: string | undefined;
  /** A full login URL; the same as a URL in `domain`. */
  loginUrl?: string | undefined;
}

/**
 * The OAuth 2.0 username-password flow (`grant_type=password`). Salesforce issues no refresh
 * token for it, so an expired session is renewed by running the grant again.
 */
export function passwordGrant(options: PasswordGrantOptions): OAuthStrategy {
  const bag = requireOptions(options, "passwordGrant()");
  const username = requireString(bag, "username", "give the Salesforce username (user@example.com).");
  const password = requireString(bag, "password", "give the user's password.");
  const securityToken = optionalString(bag, "securityToken");
  const consumerKey = requireString(bag, "consumerKey", "give the connected app's Consumer Key.");
  const consumerSecret = requireString(bag, "consumerSecret", "give the connected app's Consumer Secret.");
  const loginUrl = resolveLoginUrl({ domain: options.domain, loginUrl: options.loginUrl }, PKG);
  const fullPassword = password + (securityToken ?? "");
  return oauthStrategy({
    kind: "oauth-password",
    grant: "password",
    loginUrl,
    consumerKey,
    build: () => ({
      params: {
        grant_type: "password",
        client_id: consumerKey,
        client_secret: consumerSecret,
        username,
        password: fullPassword,
      },
    }),
    secrets: () => [password, securityToken, fullPassword, consumerSecret],
    describe: { username, consumerKey },
  });
}
