import { clientCredentialsGrant, jwtBearerGrant, passwordGrant, refreshTokenGrant } from "@sfkit/auth-oauth";
import { soapLogin } from "@sfkit/auth-soap";
import {
  type AuthStrategy,
  ConfigurationError,
  createSession,
  normalizeInstanceUrl,
  type Session,
  sessionAuth,
} from "@sfkit/core";
import type { AuthType, SalesforceOptions } from "./options.js";

export interface SelectedAuth {
  type: AuthType;
  strategy: AuthStrategy;
  /** The instance known before any login (direct sessions). */
  instanceUrl?: string;
  /** The session known before any login (direct sessions). */
  session?: Session;
}

const given = (value: unknown): boolean => value !== undefined && value !== null && value !== "";

function loginDomain(options: SalesforceOptions): { domain?: string; loginUrl?: string } {
  if (options.sandbox !== undefined) {
    if (typeof options.sandbox !== "boolean") {
      throw new ConfigurationError("sandbox must be true or false (or leave it out and give domain).");
    }
    if (given(options.domain) || given(options.loginUrl)) {
      throw new ConfigurationError(
        'Give either sandbox or domain, not both: sandbox: true is the old spelling of domain: "test".',
      );
    }
    return { domain: options.sandbox ? "test" : "login" };
  }
  return {
    ...(given(options.domain) ? { domain: options.domain as string } : {}),
    ...(given(options.loginUrl) ? { loginUrl: options.loginUrl as string } : {}),
  };
}

/**
 * Picks the login flow from the options, in simple-salesforce's order (first match wins),
 * and builds the matching strategy. Throws ConfigurationError, before any request, when the
 * options make no complete set.
 */
export function selectAuth(options: SalesforceOptions): SelectedAuth {
  if (options.auth) return { type: "custom", strategy: options.auth };
  const o = options;
  if (given(o.sessionId) && given(o.accessToken) && o.sessionId !== o.accessToken) {
    throw new ConfigurationError("sessionId and accessToken are two names for the same thing: give one.");
  }
  const token = (o.sessionId ?? o.accessToken) || undefined;
  const place = (o.instanceUrl ?? o.instance) || undefined;
  if (given(o.instanceUrl) && given(o.instance)) {
    throw new ConfigurationError(
      "Give instanceUrl (a URL) or instance (a host), not both: they name the same thing.",
    );
  }
  const where = loginDomain(o);

  if (given(o.username) && given(o.password) && given(o.securityToken)) {
    return {
      type: "password",
      strategy: soapLogin({
        username: o.username as string,
        password: o.password as string,
        securityToken: o.securityToken,
        organizationId: o.organizationId || undefined,
        portalId: o.portalId || undefined,
        clientId: o.clientId,
        ...where,
      }),
    };
  }
  if (given(o.refreshToken)) {
    if (!given(o.consumerKey)) {
      throw new ConfigurationError(
        "refreshToken needs consumerKey (the connected app that issued it), and consumerSecret if the app requires it.",
      );
    }
    return {
      type: "refresh-token",
      strategy: refreshTokenGrant({
        refreshToken: o.refreshToken as string,
        consumerKey: o.consumerKey as string,
        consumerSecret: o.consumerSecret || undefined,
        accessToken: token,
        instanceUrl: token && place ? normalizeInstanceUrl(place) : undefined,
        onRefreshToken: o.onRefreshToken,
        ...where,
      }),
      ...(token && place ? { instanceUrl: normalizeInstanceUrl(place) } : {}),
    };
  }
  if (token && place) {
    const instanceUrl = normalizeInstanceUrl(place);
    return {
      type: "direct",
      strategy: sessionAuth({ instanceUrl, sessionId: token }),
      instanceUrl,
      session: createSession({ accessToken: token, instanceUrl }),
    };
  }
  if (token) {
    throw new ConfigurationError(
      'sessionId was given without instanceUrl or instance: add the org\'s URL, e.g. instanceUrl: "https://acme.my.salesforce.com".',
    );
  }
  if (given(o.username) && given(o.password) && given(o.organizationId)) {
    return {
      type: "ipfilter",
      strategy: soapLogin({
        username: o.username as string,
        password: o.password as string,
        organizationId: o.organizationId,
        portalId: o.portalId || undefined,
        clientId: o.clientId,
        ...where,
      }),
    };
  }
  if (given(o.username) && given(o.password) && given(o.consumerKey) && given(o.consumerSecret)) {
    return {
      type: "oauth-password",
      strategy: passwordGrant({
        username: o.username as string,
        password: o.password as string,
        consumerKey: o.consumerKey as string,
        consumerSecret: o.consumerSecret as string,
        ...where,
      }),
    };
  }
  if (given(o.username) && given(o.consumerKey) && (given(o.privateKey) || given(o.privateKeyFile))) {
    return {
      type: "jwt-bearer",
      strategy: jwtBearerGrant({
        username: o.username as string,
        consumerKey: o.consumerKey as string,
        privateKey: o.privateKey || undefined,
        privateKeyFile: o.privateKeyFile || undefined,
        privateKeyPassphrase: o.privateKeyPassphrase || undefined,
        instanceUrl: place,
        ...where,
      }),
    };
  }
  if (given(o.consumerKey) && given(o.consumerSecret) && !given(o.username)) {
    return {
      type: "client-credentials",
      strategy: clientCredentialsGrant({
        consumerKey: o.consumerKey as string,
        consumerSecret: o.consumerSecret as string,
        ...where,
      }),
    };
  }
  if (given(o.consumerKey) || given(o.consumerSecret) || given(o.privateKey) || given(o.privateKeyFile)) {
    throw new ConfigurationError(
      "The OAuth options given make no complete set: use username + password + consumerKey + consumerSecret (password flow), " +
        "username + consumerKey + privateKey or privateKeyFile (JWT), consumerKey + consumerSecret + a My Domain (client credentials), " +
        "or refreshToken + consumerKey.",
    );
  }
  if (given(o.username) && given(o.password)) {
    return {
      type: "password",
      strategy: soapLogin({
        username: o.username as string,
        password: o.password as string,
        clientId: o.clientId,
        ...where,
      }),
    };
  }
  if (given(o.username) && !given(o.password)) {
    throw new ConfigurationError(
      `username was given without password: add password (and securityToken from outside the org's trusted IP ranges), or use consumerKey + privateKey for the JWT flow.`,
    );
  }
  if (given(o.password) && !given(o.username)) {
    throw new ConfigurationError("password was given without username: add username (user@example.com).");
  }
  throw new ConfigurationError(
    "new Salesforce() needs login information or a session: give username + password (+ securityToken or organizationId), " +
      "or sessionId + instanceUrl, or OAuth options (consumerKey + consumerSecret, username + consumerKey + privateKey, refreshToken + consumerKey), or auth.",
  );
}
