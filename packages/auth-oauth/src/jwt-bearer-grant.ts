import { ConfigurationError } from "@sfkit/core";
import { loadPrivateKey, signJwt } from "./jwt.js";
import { isSandboxLoginHost, resolveLoginUrl } from "@sfkit/core";
import {
  type OAuthStrategy,
  oauthStrategy,
  optionalString,
  requireOptions,
  requireString,
} from "./oauth-strategy.js";
import { PKG } from "./token-request.js";

export interface JwtBearerGrantOptions {
  /** The Salesforce username the token is for (the JWT `sub`). */
  username: string;
  /** The connected app's Consumer Key (the JWT `iss`). */
  consumerKey: string;
  /** The RSA private key as PEM text (string or bytes). */
  privateKey?: string | Uint8Array | undefined;
  /** Or the path of a PEM file holding it. */
  privateKeyFile?: string | undefined;
  /** The passphrase of an encrypted private key. */
  privateKeyPassphrase?: string | undefined;
  /** "login" (default), "test", a My Domain ("acme.my"), a host or a URL: decides `aud`. */
  domain?: string | undefined;
  /** A full login URL; the same as a URL in `domain`. */
  loginUrl?: string | undefined;
  /**
   * Where to send the token request when not the login host: a My Domain ("acme.my"), a host
   * or a URL. `aud` still comes from `domain`.
   */
  instanceUrl?: string | undefined;
  /** Overrides the `aud` claim (e.g. an Experience Cloud site URL). */
  audience?: string | undefined;
  /** Seconds until the assertion expires. @default 180 (Salesforce allows about 3 minutes). */
  expiresIn?: number | undefined;
}

/**
 * The `aud` for a login URL: https://test.salesforce.com for sandboxes,
 * https://login.salesforce.com for production and My Domains, and the URL itself for any
 * other host (an Experience Cloud site, a local emulator).
 */
export function audienceFor(loginUrl: string): string {
  const host = new URL(loginUrl).hostname.toLowerCase();
  if (isSandboxLoginHost(loginUrl)) return "https://test.salesforce.com";
  if (/^login\.salesforce\.com$|\.my\.salesforce\.com$/.test(host)) return "https://login.salesforce.com";
  if (/^login\.salesforce\.mil$|\.my\.salesforce\.mil$/.test(host)) return "https://login.salesforce.mil";
  return loginUrl;
}

/**
 * The OAuth 2.0 JWT bearer flow: an RS256 assertion signed with the private key whose
 * certificate the connected app holds. No refresh token is issued; an expired session is
 * renewed by signing a new assertion.
 */
export function jwtBearerGrant(options: JwtBearerGrantOptions): OAuthStrategy {
  const bag = requireOptions(options, "jwtBearerGrant()");
  const username = requireString(bag, "username", "give the Salesforce username the token is for.");
  const consumerKey = requireString(bag, "consumerKey", "give the connected app's Consumer Key.");
  const { key, pem } = loadPrivateKey(options);
  const loginUrl = resolveLoginUrl({ domain: options.domain, loginUrl: options.loginUrl }, PKG);
  const instance = optionalString(bag, "instanceUrl");
  const tokenUrl = instance ? resolveLoginUrl({ domain: instance }, PKG) : undefined;
  const audience = optionalString(bag, "audience") ?? audienceFor(loginUrl);
  const expiresIn = options.expiresIn ?? 180;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 300) {
    throw new ConfigurationError(
      `[${PKG}] expiresIn must be a whole number of seconds between 1 and 300 (Salesforce accepts assertions that expire within about 3 minutes), not ${expiresIn}.`,
    );
  }
  let lastAssertion: string | undefined;
  return oauthStrategy({
    kind: "oauth-jwt",
    grant: "jwt-bearer",
    loginUrl,
    ...(tokenUrl ? { tokenUrl } : {}),
    consumerKey,
    build: () => {
      lastAssertion = signJwt(
        { iss: consumerKey, sub: username, aud: audience, exp: Math.floor(Date.now() / 1000) + expiresIn },
        key,
      );
      return {
        params: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: lastAssertion },
      };
    },
    secrets: () => [pem, lastAssertion, options.privateKeyPassphrase],
    describe: { username, consumerKey, audience },
  });
}
