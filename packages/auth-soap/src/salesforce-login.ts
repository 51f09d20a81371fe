import { inspect } from "node:util";
import { type AuthStrategy, type ClientOptions, createClient, instanceHost } from "@sfkit/core";
import { type SoapLoginOptions, soapLogin } from "./soap-login.js";
import type { SoapUserInfo } from "./soap-response.js";

/** The transport settings of a client that `salesforceLogin()` also takes. */
export type SalesforceLoginTransport = Pick<
  ClientOptions,
  "apiVersion" | "fetch" | "transport" | "proxy" | "ca" | "timeout" | "logger"
>;

/**
 * `salesforceLogin()` options: the SOAP login's options, or any other strategy as `auth`
 * (e.g. `jwtBearerGrant(...)` from @sfkit/auth-oauth), plus the transport settings of a client.
 */
export type SalesforceLoginOptions = (SoapLoginOptions | { auth: AuthStrategy; clientId?: string }) &
  SalesforceLoginTransport;

/** What `salesforceLogin()` returns (the seed's `SalesforceLogin` tuple, with names). */
export interface SalesforceLoginResult {
  /** The session id. Not enumerable: it stays out of JSON and `util.inspect`. */
  readonly sessionId: string;
  /** The instance host, with the port when there is one ("acme.my.salesforce.com", "127.0.0.1:8080"). */
  readonly instance: string;
  /** The instance URL with scheme and port ("https://acme.my.salesforce.com"). */
  readonly instanceUrl: string;
  readonly userId: string | undefined;
  readonly organizationId: string | undefined;
  /** The SOAP login's serverUrl (undefined for other strategies). */
  readonly serverUrl: string | undefined;
  readonly metadataServerUrl: string | undefined;
  readonly sandbox: boolean;
  readonly passwordExpired: boolean;
  readonly userInfo: SoapUserInfo;
}

/**
 * Logs in by SOAP (or with the strategy given as `auth`) without building a client, and
 * returns the session id and instance (simple-salesforce's `SalesforceLogin`):
 *
 * ```ts
 * const { sessionId, instance } = await salesforceLogin({ username, password, securityToken, domain: "test" });
 * ```
 */
export async function salesforceLogin(options: SalesforceLoginOptions): Promise<SalesforceLoginResult> {
  const strategy = "auth" in options && options.auth ? options.auth : soapLogin(options as SoapLoginOptions);
  const { apiVersion, fetch, transport, proxy, ca, timeout, logger } = options;
  const client = createClient({
    auth: strategy,
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(fetch ? { fetch } : {}),
    ...(transport ? { transport } : {}),
    ...(proxy !== undefined ? { proxy } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(logger ? { logger } : {}),
    ...(options.clientId ? { clientId: options.clientId } : {}),
  });
  try {
    const session = await client.session();
    const info = (session.info ?? {}) as Record<string, unknown>;
    const result = {
      instance: instanceHost(session.instanceUrl),
      instanceUrl: session.instanceUrl,
      userId: session.userId,
      organizationId: session.organizationId,
      serverUrl: info["serverUrl"] as string | undefined,
      metadataServerUrl: info["metadataServerUrl"] as string | undefined,
      sandbox: info["sandbox"] === true,
      passwordExpired: info["passwordExpired"] === true,
      userInfo: (info["userInfo"] ?? {}) as SoapUserInfo,
    };
    Object.defineProperty(result, "sessionId", { value: session.accessToken, enumerable: false });
    Object.defineProperty(result, inspect.custom, {
      value: () =>
        `SalesforceLoginResult { instance: '${result.instance}', instanceUrl: '${result.instanceUrl}', sessionId: [redacted] }`,
      enumerable: false,
    });
    return result as SalesforceLoginResult;
  } finally {
    await client.close();
  }
}
