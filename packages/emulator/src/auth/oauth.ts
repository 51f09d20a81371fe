// OAuth 2.0: token endpoint (password, refresh_token, JWT bearer, client_credentials), revoke,
// userinfo and the identity URL.
import { createHmac, createPublicKey, verify, X509Certificate, type KeyObject } from "node:crypto";
import type { RequestContext } from "../context.js";
import { utcOffsetMs } from "../dates.js";
import type { Router } from "../router.js";
import { checkPassword } from "./soap.js";
import type { ConnectedApp, EmulatedUser } from "./sessions.js";

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

function oauthError(ctx: RequestContext, e: OAuthError): void {
  ctx.sendJson(e.status, { error: e.error, error_description: e.description });
}

function findApp(ctx: RequestContext, clientId: string | null | undefined): ConnectedApp {
  if (!clientId) throw new OAuthError("invalid_client_id", "client identifier invalid");
  const app = ctx.org.connectedApps.find((a) => a.consumerKey === clientId);
  if (!app) throw new OAuthError("invalid_client_id", "client identifier invalid");
  return app;
}

function checkSecret(app: ConnectedApp, secret: string | null | undefined, required: boolean): void {
  if (secret === null || secret === undefined || secret === "") {
    if (required) throw new OAuthError("invalid_client", "invalid client credentials");
    return;
  }
  if (secret !== app.consumerSecret) throw new OAuthError("invalid_client", "invalid client credentials");
}

function identityUrl(ctx: RequestContext, user: EmulatedUser): string {
  return `${ctx.org.loginUrl}/id/${ctx.org.organizationId}/${user.userId}`;
}

function tokenResponse(
  ctx: RequestContext,
  app: ConnectedApp,
  user: EmulatedUser,
  opts: { refresh?: boolean; scope?: string } = {},
): Record<string, unknown> {
  const session = ctx.org.sessions.create(user, "oauth", { clientId: app.consumerKey });
  const issuedAt = String(ctx.org.now());
  const id = identityUrl(ctx, user);
  const signature = createHmac("sha256", app.consumerSecret)
    .update(id + issuedAt)
    .digest("base64");
  const out: Record<string, unknown> = { access_token: session.token };
  if (opts.refresh) out.refresh_token = ctx.org.sessions.issueRefreshToken(user, app.consumerKey);
  Object.assign(out, {
    signature,
    scope: opts.scope ?? "api",
    instance_url: ctx.org.url,
    id,
    token_type: "Bearer",
    issued_at: issuedAt,
  });
  return out;
}

function b64urlJson(part: string): Record<string, unknown> {
  const json = Buffer.from(part.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  const v = JSON.parse(json);
  if (!v || typeof v !== "object") throw new Error("not an object");
  return v as Record<string, unknown>;
}

function appKey(app: ConnectedApp): KeyObject | undefined {
  if (app.publicKey) return createPublicKey(app.publicKey);
  if (app.certificate) return new X509Certificate(app.certificate).publicKey;
  return undefined;
}

function jwtGrant(ctx: RequestContext, form: URLSearchParams): Record<string, unknown> {
  const assertion = form.get("assertion");
  if (!assertion) throw new OAuthError("invalid_request", "assertion parameter is missing");
  const parts = assertion.split(".");
  if (parts.length !== 3) throw new OAuthError("invalid_grant", "invalid assertion");
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = b64urlJson(parts[0]!);
    claims = b64urlJson(parts[1]!);
  } catch {
    throw new OAuthError("invalid_grant", "invalid assertion");
  }
  const app = findApp(ctx, typeof claims.iss === "string" ? claims.iss : undefined);
  if (header.alg !== "RS256") throw new OAuthError("invalid_grant", "invalid assertion");
  const key = appKey(app);
  if (!key) throw new OAuthError("invalid_grant", "invalid assertion");
  const signature = Buffer.from(parts[2]!.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  let ok = false;
  try {
    ok = verify("RSA-SHA256", Buffer.from(`${parts[0]}.${parts[1]}`), key, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new OAuthError("invalid_grant", "invalid assertion");
  const auds = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map((a) =>
    String(a).replace(/\/$/, ""),
  );
  const allowed = new Set([
    ctx.org.loginUrl,
    ctx.org.url,
    "https://login.salesforce.com",
    "https://test.salesforce.com",
  ]);
  if (!auds.some((a) => allowed.has(a))) throw new OAuthError("invalid_grant", "audience is invalid");
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp) || exp * 1000 <= ctx.org.now())
    throw new OAuthError("invalid_grant", "expired authorization code");
  const user = typeof claims.sub === "string" ? ctx.org.findUser(claims.sub) : undefined;
  if (!user) throw new OAuthError("invalid_grant", "user hasn't approved this consumer");
  if (user.locked) throw new OAuthError("invalid_grant", "authentication failure");
  return tokenResponse(ctx, app, user, { scope: "api" });
}

function basicCredentials(ctx: RequestContext): [string, string] | undefined {
  const auth = ctx.header("authorization");
  const m = auth ? /^Basic\s+(.+)$/i.exec(auth.trim()) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return undefined;
  return [decodeURIComponent(decoded.slice(0, i)), decodeURIComponent(decoded.slice(i + 1))];
}

async function tokenHandler(ctx: RequestContext): Promise<void> {
  try {
    const ct = ctx.header("content-type") ?? "";
    const form = /json/i.test(ct)
      ? new URLSearchParams(
          Object.entries(ctx.json<Record<string, unknown>>()).map(([k, v]): [string, string] => [
            k,
            String(v),
          ]),
        )
      : ctx.form();
    for (const [k, v] of ctx.query) if (!form.has(k)) form.set(k, v);
    const grant = form.get("grant_type");
    switch (grant) {
      case "password": {
        const app = findApp(ctx, form.get("client_id"));
        checkSecret(app, form.get("client_secret"), true);
        const result = checkPassword(ctx, form.get("username") ?? "", form.get("password") ?? "");
        if ("code" in result) throw new OAuthError("invalid_grant", "authentication failure");
        if (result.user.passwordExpired) throw new OAuthError("invalid_grant", "authentication failure");
        return ctx.sendJson(
          200,
          tokenResponse(ctx, app, result.user, {
            refresh: app.issueRefreshTokens === true,
            scope: "api refresh_token",
          }),
        );
      }
      case "refresh_token": {
        const basic = basicCredentials(ctx);
        const app = findApp(ctx, form.get("client_id") ?? basic?.[0]);
        checkSecret(app, form.get("client_secret") ?? basic?.[1], false);
        const rt = ctx.org.sessions.refreshTokens.get(form.get("refresh_token") ?? "");
        if (!rt || rt.revoked || rt.clientId !== app.consumerKey) {
          throw new OAuthError("invalid_grant", "expired access/refresh token");
        }
        const user = ctx.org.userById(rt.userId);
        if (!user || user.locked) throw new OAuthError("invalid_grant", "inactive user");
        const rotate = app.rotateRefreshTokens === true;
        if (rotate) rt.revoked = true; // the used token stops working; its access tokens stay valid
        return ctx.sendJson(
          200,
          tokenResponse(ctx, app, user, { refresh: rotate, scope: "api refresh_token" }),
        );
      }
      case "urn:ietf:params:oauth:grant-type:jwt-bearer":
        return ctx.sendJson(200, jwtGrant(ctx, form));
      case "client_credentials": {
        const basic = basicCredentials(ctx);
        const app = findApp(ctx, form.get("client_id") ?? basic?.[0]);
        checkSecret(app, form.get("client_secret") ?? basic?.[1], true);
        const user = app.runAs ? ctx.org.findUser(app.runAs) : undefined;
        if (!user) throw new OAuthError("invalid_grant", "no client credentials user enabled");
        return ctx.sendJson(200, tokenResponse(ctx, app, user, { scope: "api" }));
      }
      default:
        throw new OAuthError("unsupported_grant_type", "grant type not supported");
    }
  } catch (e) {
    if (e instanceof OAuthError) return oauthError(ctx, e);
    throw e;
  }
}

async function revokeHandler(ctx: RequestContext): Promise<void> {
  const token =
    ctx.method === "GET" ? ctx.query.get("token") : (ctx.form().get("token") ?? ctx.query.get("token"));
  if (!token || !ctx.org.sessions.revoke(token)) {
    return ctx.sendJson(400, {
      error: "unsupported_token_type",
      error_description: "this token type is not supported",
    });
  }
  ctx.send(200, "", {});
}

function identity(ctx: RequestContext, user: EmulatedUser): Record<string, unknown> {
  const base = ctx.org.url;
  const org15 = ctx.org.organizationId.slice(0, 15);
  return {
    id: identityUrl(ctx, user),
    asserted_user: true,
    user_id: user.userId,
    organization_id: ctx.org.organizationId,
    username: user.username,
    nick_name: user.username.split("@")[0],
    display_name: [user.firstName, user.lastName].filter(Boolean).join(" "),
    email: user.email,
    email_verified: true,
    first_name: user.firstName ?? null,
    last_name: user.lastName,
    timezone: user.timeZone ?? "GMT",
    photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: {
      enterprise: `${base}/services/Soap/c/{version}/${org15}`,
      metadata: `${base}/services/Soap/m/{version}/${org15}`,
      partner: `${base}/services/Soap/u/{version}/${org15}`,
      rest: `${base}/services/data/v{version}/`,
      sobjects: `${base}/services/data/v{version}/sobjects/`,
      search: `${base}/services/data/v{version}/search/`,
      query: `${base}/services/data/v{version}/query/`,
      recent: `${base}/services/data/v{version}/recent/`,
      tooling_soap: `${base}/services/Soap/T/{version}/${org15}`,
      tooling_rest: `${base}/services/data/v{version}/tooling/`,
      profile: `${base}/${user.userId}`,
      feeds: `${base}/services/data/v{version}/chatter/feeds`,
      groups: `${base}/services/data/v{version}/chatter/groups`,
      users: `${base}/services/data/v{version}/chatter/users`,
      feed_items: `${base}/services/data/v{version}/chatter/feed-items`,
      feed_elements: `${base}/services/data/v{version}/chatter/feed-elements`,
      custom_domain: base,
    },
    active: true,
    user_type: "STANDARD",
    language: user.language ?? "en_US",
    locale: user.locale ?? "en_US",
    utcOffset: utcOffsetMs(user.timeZone ?? "GMT", ctx.org.now()),
    last_modified_date: "2024-01-01T00:00:00Z",
    is_app_installed: true,
  };
}

function bearerUser(ctx: RequestContext): EmulatedUser | undefined {
  const token = ctx.token() ?? ctx.query.get("oauth_token") ?? undefined;
  const session = ctx.org.sessions.get(token);
  return session ? ctx.org.userById(session.userId) : undefined;
}

function identityHandler(ctx: RequestContext) {
  const user = bearerUser(ctx);
  if (!user) {
    ctx.send(403, "Bad_OAuth_Token", { "Content-Type": "text/plain;charset=UTF-8" });
    return;
  }
  if (ctx.params.userId && ctx.params.userId.slice(0, 15) !== user.userId.slice(0, 15)) {
    ctx.send(403, "Bad_Id", { "Content-Type": "text/plain;charset=UTF-8" });
    return;
  }
  ctx.sendJson(200, identity(ctx, user));
}

function userinfoHandler(ctx: RequestContext) {
  const user = bearerUser(ctx);
  if (!user) {
    ctx.send(403, "Bad_OAuth_Token", { "Content-Type": "text/plain;charset=UTF-8" });
    return;
  }
  const i = identity(ctx, user);
  ctx.sendJson(200, {
    sub: i.id,
    user_id: user.userId,
    organization_id: ctx.org.organizationId,
    preferred_username: user.username,
    nickname: i.nick_name,
    name: i.display_name,
    email: user.email,
    email_verified: true,
    given_name: user.firstName ?? null,
    family_name: user.lastName,
    zoneinfo: i.timezone,
    photos: i.photos,
    profile: `${ctx.org.url}/${user.userId}`,
    picture: (i.photos as Record<string, string>).picture,
    address: {},
    urls: i.urls,
    active: true,
    user_type: "STANDARD",
    language: i.language,
    locale: i.locale,
    utcOffset: i.utcOffset,
    updated_at: "2024-01-01T00:00:00Z",
  });
}

export function oauthRoutes(router: Router): void {
  router.post("/services/oauth2/token", tokenHandler, { auth: "none" });
  router.add(["POST", "GET"], "/services/oauth2/revoke", revokeHandler, { auth: "none" });
  router.add(["GET", "POST"], "/services/oauth2/userinfo", userinfoHandler, { auth: "none" });
  router.add(["GET", "POST"], "/id/:orgId/:userId", identityHandler, { auth: "none" });
}
