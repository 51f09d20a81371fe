import { ConfigurationError } from "@sfkit/core";
import { isGenericLoginHost, resolveLoginUrl } from "@sfkit/core";
import { type OAuthStrategy, oauthStrategy, requireOptions, requireString } from "./oauth-strategy.js";
import { PKG } from "./token-request.js";

export interface ClientCredentialsGrantOptions {
  /** The connected app's Consumer Key. */
  consumerKey: string;
  /** The connected app's Consumer Secret. */
  consumerSecret: string;
  /** The org's My Domain ("acme.my", "acme--uat.sandbox.my"), host or URL. login/test are refused. */
  domain?: string | undefined;
  /** A full My Domain URL; the same as a URL in `domain`. */
  loginUrl?: string | undefined;
}

/**
 * The OAuth 2.0 client credentials flow: the connected app logs in as its "Run As" user.
 * Salesforce only accepts it on the org's My Domain host. An expired session is renewed by
 * requesting a new token.
 */
export function clientCredentialsGrant(options: ClientCredentialsGrantOptions): OAuthStrategy {
  const bag = requireOptions(options, "clientCredentialsGrant()");
  const consumerKey = requireString(bag, "consumerKey", "give the connected app's Consumer Key.");
  const consumerSecret = requireString(bag, "consumerSecret", "give the connected app's Consumer Secret.");
  if (options.domain === undefined && options.loginUrl === undefined) {
    throw new ConfigurationError(
      `[${PKG}] clientCredentialsGrant() needs the org's My Domain: give domain: "<mydomain>.my" (or "<mydomain>--<sandbox>.sandbox.my"). Salesforce refuses this flow on login.salesforce.com and test.salesforce.com.`,
    );
  }
  const loginUrl = resolveLoginUrl({ domain: options.domain, loginUrl: options.loginUrl }, PKG);
  if (isGenericLoginHost(loginUrl)) {
    throw new ConfigurationError(
      `[${PKG}] the client credentials flow does not work on ${new URL(loginUrl).host}: Salesforce answers "request not supported on this domain". Give the org's My Domain, e.g. domain: "acme.my".`,
    );
  }
  const basic = Buffer.from(`${consumerKey}:${consumerSecret}`, "utf8").toString("base64");
  return oauthStrategy({
    kind: "oauth-client-credentials",
    grant: "client_credentials",
    loginUrl,
    consumerKey,
    build: () => ({
      params: { grant_type: "client_credentials" },
      headers: { authorization: `Basic ${basic}` },
    }),
    secrets: () => [consumerSecret, basic],
    describe: { consumerKey },
  });
}
