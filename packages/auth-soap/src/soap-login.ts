import { inspect } from "node:util";
import {
  type AuthContext,
  type AuthStrategy,
  ConfigurationError,
  createSession,
  normalizeApiVersion,
  redactSecrets,
  SalesforceAuthenticationFailed,
  SalesforceGeneralError,
  type Session,
} from "@sfkit/core";
import { resolveLoginUrl } from "@sfkit/core";
import { loginEnvelope, logoutEnvelope, soapHeaders } from "./soap-envelope.js";
import {
  instanceUrlFromServerUrl,
  parseLoginResponse,
  readFault,
  type SoapLoginResult,
} from "./soap-response.js";

export const PKG = "@sfkit/auth-soap";

/**
 * The newest API version whose SOAP `login()` real orgs still answer: from 65.0 on,
 * Salesforce refuses it with INVALID_OPERATION (reference/salesforce-wire.md §2.3).
 */
export const MAX_SOAP_LOGIN_VERSION = "64.0";

/** The `<client>` tag prefix in the login's CallOptions. */
export const CLIENT_TAG = "sfkit";

export interface SoapLoginOptions {
  username: string;
  password: string;
  /** Appended to the password, as Salesforce expects. Not needed from trusted IP ranges. */
  securityToken?: string | undefined;
  /** Sends a LoginScopeHeader for this org (IP allow-list and portal logins). */
  organizationId?: string | undefined;
  /** With organizationId: the portal (Experience Cloud site) to log in to. */
  portalId?: string | undefined;
  /** "login" (default), "test", a My Domain ("acme.my", "acme--uat.sandbox.my"), a host or a URL. */
  domain?: string | undefined;
  /** A full login URL (e.g. the emulator's `loginUrl`); the same as a URL in `domain`. */
  loginUrl?: string | undefined;
  /** Sent as `<client>sfkit/<clientId></client>`; defaults to the client's `clientId`. */
  clientId?: string | undefined;
  /**
   * The API version of the SOAP login call (at most 64.0). Defaults to the client's
   * apiVersion, capped at 64.0, so that REST calls can use a newer version.
   */
  loginApiVersion?: string | number | undefined;
  /**
   * Accept a login whose password has expired. Salesforce then gives a session that can
   * only set a new password; without this option such a login fails with
   * INVALID_OPERATION_WITH_EXPIRED_PASSWORD.
   */
  allowExpiredPassword?: boolean | undefined;
}

/** A SOAP login strategy also exposes the last login result (no secrets in it). */
export interface SoapLoginStrategy extends AuthStrategy {
  readonly kind: "soap";
  readonly loginUrl: string;
}

const ORG_ID = /^00D[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;

function requireString(options: Record<string, unknown>, name: string, hint: string): string {
  const value = options[name];
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigurationError(`[${PKG}] ${name} is required: ${hint}`);
  }
  return value;
}

function optionalString(options: Record<string, unknown>, name: string): string | undefined {
  const value = options[name];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ConfigurationError(`[${PKG}] ${name} must be a string.`);
  return value;
}

/** The version of the login call: the given one (≤ 64.0), or the client's capped at 64.0. */
export function loginVersion(explicit: string | undefined, clientVersion: string): string {
  if (explicit) return explicit;
  return Number(clientVersion) > Number(MAX_SOAP_LOGIN_VERSION) ? MAX_SOAP_LOGIN_VERSION : clientVersion;
}

/** Hints for the login faults a user can act on. */
function hintFor(code: string, message: string, version: string): string {
  switch (code) {
    case "INVALID_LOGIN":
      return " Check the username and password; from outside the org's trusted IP ranges give securityToken too (Settings › Reset My Security Token emails a new one).";
    case "LOGIN_MUST_USE_SECURITY_TOKEN":
      return " This IP address is not trusted by the org: give securityToken, or log in with organizationId from an allow-listed IP.";
    case "PASSWORD_LOCKOUT":
      return " The user is locked out after too many failed logins: wait for the lockout period or ask an admin to unlock the user.";
    case "INVALID_OPERATION_WITH_EXPIRED_PASSWORD":
      return " The password has expired: set a new one in the Salesforce UI.";
    case "API_DISABLED_FOR_ORG":
      return " The org's edition or the user's profile does not allow API access (API Enabled permission).";
    case "LOGIN_DURING_RESTRICTED_DOMAIN":
      return ' The org only accepts logins through its My Domain: use domain: "<mydomain>.my".';
    case "UNSUPPORTED_API_VERSION":
      return ` Version ${version} is not supported by this org: set loginApiVersion to a supported version.`;
    case "INVALID_OPERATION":
      if (/not available in the API version/i.test(message))
        return ` SOAP login() is refused from API 65.0 on: set loginApiVersion to ${MAX_SOAP_LOGIN_VERSION} or lower.`;
      if (/disabled/i.test(message))
        return " SOAP login() is turned off in this org: log in with OAuth (@sfkit/auth-oauth), or ask an admin to enable SOAP API login().";
      return "";
    default:
      return "";
  }
}

/**
 * Logs in with the SOAP partner `login()` call: username + password (+ security token),
 * the organizationId (LoginScopeHeader) variant, or username + password alone. An expired
 * session is refreshed by logging in again.
 *
 * ```ts
 * createClient({ auth: soapLogin({ username, password, securityToken, domain: "test" }) });
 * ```
 */
export function soapLogin(options: SoapLoginOptions): SoapLoginStrategy {
  if (!options || typeof options !== "object") {
    throw new ConfigurationError(
      `[${PKG}] soapLogin() needs an options object: soapLogin({ username, password, securityToken }).`,
    );
  }
  const bag = options as unknown as Record<string, unknown>;
  const username = requireString(bag, "username", "give the Salesforce username (user@example.com).");
  const password = requireString(
    bag,
    "password",
    "give the user's password (the security token goes in securityToken).",
  );
  const securityToken = optionalString(bag, "securityToken");
  const organizationId = optionalString(bag, "organizationId");
  const portalId = optionalString(bag, "portalId");
  const clientIdOption = optionalString(bag, "clientId");
  if (organizationId !== undefined && !ORG_ID.test(organizationId)) {
    throw new ConfigurationError(
      `[${PKG}] organizationId ${JSON.stringify(organizationId)} is not an org id: it has 15 or 18 characters and starts with 00D (Setup › Company Information).`,
    );
  }
  if (portalId !== undefined && organizationId === undefined) {
    throw new ConfigurationError(`[${PKG}] portalId needs organizationId: both go in the LoginScopeHeader.`);
  }
  const loginUrl = resolveLoginUrl({ domain: options.domain, loginUrl: options.loginUrl }, PKG);
  let explicitVersion: string | undefined;
  if (options.loginApiVersion !== undefined) {
    try {
      explicitVersion = normalizeApiVersion(options.loginApiVersion);
    } catch (error) {
      throw new ConfigurationError(`[${PKG}] loginApiVersion: ${(error as Error).message}`);
    }
    if (Number(explicitVersion) > Number(MAX_SOAP_LOGIN_VERSION)) {
      throw new ConfigurationError(
        `[${PKG}] loginApiVersion ${explicitVersion} cannot be used: Salesforce refuses SOAP login() from API 65.0 on. Use ${MAX_SOAP_LOGIN_VERSION} or lower (REST calls may still use a newer apiVersion).`,
      );
    }
  }
  const fullPassword = password + (securityToken ?? "");
  const issued = new Set<string>();
  const secrets = () => [password, fullPassword, securityToken, ...issued].filter((s): s is string => !!s);
  const scrub = (text: string) => redactSecrets(text, secrets());

  const login = async (ctx: AuthContext): Promise<Session> => {
    const version = loginVersion(explicitVersion, ctx.apiVersion);
    const url = `${loginUrl}/services/Soap/u/${version}`;
    const clientId = clientIdOption ?? ctx.clientId;
    const body = loginEnvelope({
      username,
      password: fullPassword,
      client: clientId ? `${CLIENT_TAG}/${clientId}` : CLIENT_TAG,
      organizationId,
      portalId,
    });
    ctx.log.debug(`[${PKG}] SOAP login of ${username} at ${url}`);
    const response = await ctx.send({
      method: "POST",
      url,
      headers: soapHeaders("login"),
      body,
      responseType: "text",
    });
    const failed = (code: string, message: string, content?: unknown): never => {
      throw new SalesforceAuthenticationFailed(
        scrub(
          `[${PKG}] SOAP login of ${username} at ${loginUrl} failed: ${code}: ${message}${hintFor(code, message, version)}`,
        ),
        {
          status: response.status,
          method: "POST",
          url,
          errorCode: code,
          code,
          ...(typeof content === "string" ? { content: scrub(content) } : {}),
        },
      );
    };
    if (response.status >= 300 && response.status < 400) {
      failed(
        String(response.status),
        `${loginUrl} answered with a redirect instead of a login result. Log in through the org's My Domain (domain: "<mydomain>.my") or login.salesforce.com / test.salesforce.com.`,
      );
    }
    if (response.status !== 200) {
      const fault = readFault(response.status, response.data);
      failed(fault.code, fault.message, response.data);
    }
    const text = typeof response.data === "string" ? response.data : "";
    const result = parseLoginResponse(text);
    if (!result) {
      const fault = readFault(response.status, text);
      failed(
        fault.code === "200" ? "UNKNOWN_EXCEPTION_CODE" : fault.code,
        fault.code === "200"
          ? "the response held no sessionId and serverUrl; is this URL a Salesforce login endpoint?"
          : fault.message,
      );
    }
    const ok = result as SoapLoginResult;
    issued.add(ok.sessionId);
    if (issued.size > 8) issued.delete(issued.values().next().value as string);
    if (ok.passwordExpired && !options.allowExpiredPassword) {
      failed(
        "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
        "the password has expired; Salesforce only allows setting a new one with this session",
      );
    }
    const instanceUrl = instanceUrlFromServerUrl(ok.serverUrl);
    if (!instanceUrl) {
      failed("UNKNOWN_EXCEPTION_CODE", "the login result's serverUrl is not an http(s) URL");
    }
    return createSession({
      accessToken: ok.sessionId,
      instanceUrl: instanceUrl as string,
      ...(ok.userId ? { userId: ok.userId } : {}),
      ...(ok.organizationId ? { organizationId: ok.organizationId } : {}),
      info: {
        kind: "soap",
        serverUrl: ok.serverUrl,
        metadataServerUrl: ok.metadataServerUrl,
        passwordExpired: ok.passwordExpired,
        sandbox: ok.sandbox,
        sessionSecondsValid: ok.sessionSecondsValid,
        userInfo: ok.userInfo,
      },
    });
  };

  const strategy: SoapLoginStrategy = {
    kind: "soap",
    loginUrl,
    login,
    refresh: (ctx) => {
      ctx.log.info(`[${PKG}] the session of ${username} expired; logging in again`);
      return login(ctx);
    },
    async logout(ctx, session) {
      const version = loginVersion(explicitVersion, ctx.apiVersion);
      const url = `${session.instanceUrl.replace(/\/+$/, "")}/services/Soap/u/${version}`;
      const response = await ctx.send({
        method: "POST",
        url,
        headers: soapHeaders("logout"),
        body: logoutEnvelope(session.accessToken),
        responseType: "text",
      });
      if (response.status === 200) return;
      const fault = readFault(response.status, response.data);
      if (fault.code === "INVALID_SESSION_ID") {
        ctx.log.debug(`[${PKG}] logout: the session had already ended`);
        return;
      }
      throw new SalesforceGeneralError(
        scrub(`[${PKG}] SOAP logout failed: ${fault.code}: ${fault.message}`),
        {
          status: response.status,
          method: "POST",
          url,
          errorCode: fault.code,
          code: fault.code,
        },
      );
    },
    secrets,
  };
  Object.defineProperty(strategy, inspect.custom, {
    value: () => `SoapLogin { username: '${username}', loginUrl: '${loginUrl}' }`,
    enumerable: false,
  });
  return strategy;
}
