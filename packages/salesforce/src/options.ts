import type { ApexOptions } from "@sfkit/apex";
import type { BulkPluginOptions } from "@sfkit/bulk";
import type { AuthStrategy, ClientOptions } from "@sfkit/core";
import type { RestOptions } from "@sfkit/rest";

/** simple-salesforce's `proxies={'https': ..., 'http': ...}`. */
export interface Proxies {
  https?: string;
  http?: string;
}

/**
 * `new Salesforce(options)`: simple-salesforce's keyword arguments in camelCase. Which login
 * runs is decided from the options given, in simple-salesforce's order (see README):
 *
 * 1. `username` + `password` + `securityToken` → SOAP login
 * 2. `refreshToken` + `consumerKey` → OAuth refresh token flow (sfkit addition)
 * 3. `sessionId` (or `accessToken`) + `instanceUrl` / `instance` → that session, no login
 * 4. `username` + `password` + `organizationId` → SOAP login with a LoginScopeHeader
 * 5. `username` + `password` + `consumerKey` + `consumerSecret` → OAuth username-password flow
 * 6. `username` + `consumerKey` + `privateKey` / `privateKeyFile` → OAuth JWT bearer flow
 * 7. `consumerKey` + `consumerSecret` → OAuth client credentials flow (needs a My Domain)
 * 8. `username` + `password` → SOAP login without a token (trusted IP ranges)
 * 9. `auth` → your own strategy
 */
export interface SalesforceOptions
  extends Pick<
    ClientOptions,
    "fetch" | "transport" | "proxy" | "ca" | "timeout" | "totalTimeout" | "retry" | "logger" | "headers"
  > {
  username?: string;
  password?: string;
  securityToken?: string;
  /** The org id for IP-restricted logins (SOAP LoginScopeHeader); no token needed. */
  organizationId?: string;
  /** Experience Cloud logins: the portal id, with organizationId. */
  portalId?: string;
  /** "login" (default), "test", a My Domain ("acme.my", "acme--uat.sandbox.my"), a host or a URL. */
  domain?: string;
  /** A full login URL (e.g. the emulator's `loginUrl`); the same as a URL in `domain`. */
  loginUrl?: string;
  /** simple-salesforce 0.77's `sandbox=True`: the same as `domain: "test"`. Not together with domain. */
  sandbox?: boolean;
  /**
   * REST calls send `Sforce-Call-Options: client=<clientId>`; the SOAP login sends
   * `<client>sfkit/<clientId></client>`.
   */
  clientId?: string;

  /** An existing session id / access token. With `instanceUrl` or `instance`, no login happens. */
  sessionId?: string;
  /** jsforce's name for `sessionId`. */
  accessToken?: string;
  /**
   * The org's URL ("https://acme.my.salesforce.com", port kept). For a JWT login without a
   * session, the host the token request goes to (simple-salesforce's JWT `instance_url`).
   */
  instanceUrl?: string;
  /** The org's host ("acme.my.salesforce.com"); a URL is accepted too. */
  instance?: string;

  /** The connected app's Consumer Key (OAuth flows). */
  consumerKey?: string;
  /** The connected app's Consumer Secret (password and client credentials flows). */
  consumerSecret?: string;
  /** JWT bearer flow: the RSA private key as PEM text. */
  privateKey?: string | Uint8Array;
  /** JWT bearer flow: the path of the PEM private key. */
  privateKeyFile?: string;
  /** JWT bearer flow: the passphrase of an encrypted key. */
  privateKeyPassphrase?: string;
  /** OAuth refresh token flow: the refresh token (with consumerKey, and consumerSecret if the app needs it). */
  refreshToken?: string;
  /** Called with a rotated refresh token. */
  onRefreshToken?: (refreshToken: string) => void;

  /** Your own strategy, used as given (overrides every other login option). */
  auth?: AuthStrategy;

  /** "64.0", "v64.0" or 64. simple-salesforce's `version`. */
  version?: string | number;
  /** The same as `version` (core's name). */
  apiVersion?: string | number;
  /**
   * simple-salesforce's `proxies`: the https entry (or the http one) becomes the client's
   * proxy. Ignored, with a warning, when `fetch` or `transport` is given.
   */
  proxies?: Proxies;

  /** Options of the rest() plugin (describe cache, query batch size). */
  rest?: RestOptions;
  /** Options of the bulk() plugin (polling, progress, job size). */
  bulk?: BulkPluginOptions;
  /** Options of the apex() plugin (managed-package namespace). */
  apex?: ApexOptions;
}

/** How the preset logs in: simple-salesforce's `auth_type`, plus the flows sfkit adds. */
export type AuthType =
  | "password"
  | "ipfilter"
  | "direct"
  | "oauth-password"
  | "jwt-bearer"
  | "client-credentials"
  | "refresh-token"
  | "custom";
