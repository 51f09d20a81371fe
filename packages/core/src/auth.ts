import { inspect } from "node:util";
import type { Logger, ResponseType, SalesforceResponse } from "./types.js";

/** A logged-in session: the token and the instance it is good for. */
export interface Session {
  /** The session id / access token. Not enumerable, never printed. */
  readonly accessToken: string;
  /** The instance URL to send data calls to, e.g. https://acme.my.salesforce.com. */
  readonly instanceUrl: string;
  readonly userId?: string;
  readonly organizationId?: string;
  /** Extra facts the strategy learned (identity URL, user info, ...), no secrets. */
  readonly info?: Record<string, unknown>;
}

/** Builds a Session whose token stays out of JSON, logs and util.inspect. */
export function createSession(fields: {
  accessToken: string;
  instanceUrl: string;
  userId?: string;
  organizationId?: string;
  info?: Record<string, unknown>;
}): Session {
  const session = {
    instanceUrl: fields.instanceUrl,
    ...(fields.userId ? { userId: fields.userId } : {}),
    ...(fields.organizationId ? { organizationId: fields.organizationId } : {}),
    ...(fields.info ? { info: fields.info } : {}),
  };
  Object.defineProperty(session, "accessToken", { value: fields.accessToken, enumerable: false });
  Object.defineProperty(session, inspect.custom, {
    value: () => `Session { instanceUrl: '${fields.instanceUrl}', accessToken: [redacted] }`,
    enumerable: false,
  });
  return session as Session;
}

/** A request an auth strategy sends without credentials (token endpoints, SOAP login). */
export interface AuthRequest {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  responseType?: ResponseType;
}

/** What core hands to a strategy. */
export interface AuthContext {
  /**
   * Sends a request through the client's transport, without credentials, hooks or
   * retries of non-idempotent calls. Error statuses resolve (they do not throw), so
   * that the strategy can read the fault and throw its own typed error.
   */
  send(request: AuthRequest): Promise<SalesforceResponse<unknown>>;
  readonly apiVersion: string;
  readonly clientId: string | undefined;
  readonly log: Logger;
}

/**
 * An auth strategy supplies the session and, where its grant allows, a new one when the
 * old one expires. Core calls `login` once, shares one `refresh` among concurrent
 * requests, refreshes at most once per request, and never loops.
 */
export interface AuthStrategy {
  /** A short name for logs and errors ("soap", "oauth-jwt", ...). */
  readonly kind: string;
  login(context: AuthContext): Promise<Session>;
  /** A new session after `expired` stopped working. Without it, expiry is final. */
  refresh?(context: AuthContext, expired: Session): Promise<Session>;
  /** Ends the session on the server (SOAP logout, OAuth revoke). */
  logout?(context: AuthContext, session: Session): Promise<void>;
  /** Every secret the strategy holds, so that core can keep them out of errors and logs. */
  secrets?(): string[];
}

/** The strategy behind `createClient({ instanceUrl, sessionId })`: a fixed session, no refresh. */
export function sessionAuth(options: { instanceUrl: string; sessionId: string }): AuthStrategy {
  const session = createSession({ accessToken: options.sessionId, instanceUrl: options.instanceUrl });
  return {
    kind: "session",
    login: async () => session,
    secrets: () => [options.sessionId],
  };
}
