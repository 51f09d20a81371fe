// Users, connected apps, sessions (access tokens) and refresh tokens.
import { randomAlnum } from "../ids.js";

/** A login user of the emulated org. Mutable: tests may lock a user or change a password. */
export interface EmulatedUser {
  username: string;
  password: string;
  /** Appended to the password for SOAP login / password grant; "" when not required. */
  securityToken: string;
  /** 18-character User id. */
  userId: string;
  /** 18-character org id (for LoginScopeHeader). */
  organizationId: string;
  firstName?: string;
  lastName: string;
  email: string;
  alias?: string;
  timeZone?: string;
  locale?: string;
  language?: string;
  profileName?: string;
  /** Logins fail with PASSWORD_LOCKOUT / invalid_grant. */
  locked?: boolean;
  /** SOAP login succeeds with passwordExpired=true and a session restricted to setPassword. */
  passwordExpired?: boolean;
  /** Sessions of this user are refused by REST (401 "This session is not valid for use with the REST API"), as under a high-assurance session policy. */
  restApiDisabled?: boolean;
}

export interface UserOptions {
  username: string;
  password: string;
  securityToken?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  alias?: string;
  timeZone?: string;
  profileName?: string;
  locked?: boolean;
  passwordExpired?: boolean;
  /** Sessions of this user are refused by REST with "This session is not valid for use with the REST API". */
  restApiDisabled?: boolean;
}

export interface ConnectedApp {
  name?: string;
  consumerKey: string;
  consumerSecret: string;
  /** PEM certificate whose public key verifies JWT bearer assertions. */
  certificate?: string;
  /** PEM public key (instead of a certificate). */
  publicKey?: string;
  /** Test-only: the private key matching the certificate (the seeded default app has one). */
  privateKey?: string;
  /** Username that the client_credentials grant runs as. */
  runAs?: string;
  /** Issue refresh tokens for the password grant as well (real orgs don't). */
  issueRefreshTokens?: boolean;
  /**
   * Per-app API limit: calls made with this app's tokens add
   * `; per-app-api-usage=N/M(appName=<name>)` to Sforce-Limit-Info.
   */
  perAppApiLimit?: number;
  /**
   * Refresh Token Rotation: each refresh_token grant returns a new refresh token and
   * invalidates the one it used.
   */
  rotateRefreshTokens?: boolean;
}

export interface Session {
  token: string;
  userId: string;
  username: string;
  createdAt: number;
  expiresAt: number;
  /** How it was obtained. */
  kind: "soap" | "oauth";
  clientId?: string;
  /** Only setPassword is allowed (SOAP login of a user whose password expired). */
  passwordExpired?: boolean;
  /** REST answers 401 "This session is not valid for use with the REST API". */
  restApiDisabled?: boolean;
}

export interface RefreshToken {
  token: string;
  userId: string;
  username: string;
  clientId: string;
  revoked?: boolean;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(
    private readonly orgId15: string,
    public lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a session (access token) for a user. */
  create(user: EmulatedUser, kind: Session["kind"] = "oauth", extra: Partial<Session> = {}): Session {
    const token = `${this.orgId15}!${randomAlnum(94)}`;
    const now = this.now();
    const s: Session = {
      token,
      userId: user.userId,
      username: user.username,
      createdAt: now,
      expiresAt: now + this.lifetimeMs,
      kind,
      ...extra,
    };
    this.sessions.set(token, s);
    return s;
  }

  /** The live session for a token, or undefined (unknown, expired or revoked). */
  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const s = this.sessions.get(token);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return s;
  }

  /** Expires one session (by token), or every session when no token is given. */
  expire(token?: string): void {
    if (token === undefined) this.sessions.clear();
    else this.sessions.delete(token);
  }

  /** Live sessions (tokens included: this is a test helper). */
  list(): Session[] {
    const now = this.now();
    return [...this.sessions.values()].filter((s) => s.expiresAt > now);
  }

  /** Issues a refresh token (for tests of the refresh_token grant). */
  issueRefreshToken(user: EmulatedUser, clientId: string): string {
    const token = `5Aep861${randomAlnum(80)}`;
    this.refreshTokens.set(token, { token, userId: user.userId, username: user.username, clientId });
    return token;
  }

  /** Revokes an access or refresh token; false when unknown. */
  revoke(token: string): boolean {
    if (this.sessions.delete(token)) return true;
    const r = this.refreshTokens.get(token);
    if (r && !r.revoked) {
      r.revoked = true;
      // Revoking a refresh token also revokes the access tokens issued from it.
      for (const [t, s] of this.sessions)
        if (s.clientId === r.clientId && s.userId === r.userId) this.sessions.delete(t);
      return true;
    }
    return false;
  }
}
