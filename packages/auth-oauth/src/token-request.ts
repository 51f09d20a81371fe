import {
  type AuthContext,
  createSession,
  htmlToText,
  redactSecrets,
  SalesforceAuthenticationFailed,
  type Session,
} from "@sfkit/core";

export const PKG = "@sfkit/auth-oauth";

/** The JSON Salesforce's token endpoint answers with (only the keys sfkit reads). */
export interface TokenResponse {
  access_token: string;
  instance_url: string;
  id?: string;
  issued_at?: string;
  scope?: string;
  token_type?: string;
  signature?: string;
  refresh_token?: string;
  sfdc_community_url?: string;
  sfdc_community_id?: string;
}

export interface TokenCall {
  /** The login URL whose /services/oauth2/token is called. */
  loginUrl: string;
  /** Form fields; sent form-encoded (never XML-escaped). */
  params: Record<string, string>;
  headers?: Record<string, string>;
  /** The grant, for messages ("password", "jwt-bearer", ...). */
  grant: string;
  /** Every secret of the strategy, removed from anything that reaches an error. */
  secrets: () => Array<string | undefined>;
  /** The consumer key, for the "approve this app" hint. */
  consumerKey?: string;
}

/** What the caller can do about an OAuth error, by code and description. */
function hintFor(call: TokenCall, error: string, description: string): string {
  const d = description.toLowerCase();
  if (d.includes("user hasn't approved this consumer")) {
    return ` The user has not approved the connected app: have an admin pre-authorize it (Permitted Users: "Admin approved users are pre-authorized" plus a profile or permission set), or approve it once in a browser at ${authorizeUrl(call)}.`;
  }
  if (d.includes("request not supported on this domain"))
    return ' The client credentials flow only works on the org\'s My Domain host: give domain: "<mydomain>.my".';
  if (d.includes("expired access/refresh token"))
    return " The refresh token was revoked or has expired: obtain a new one by authorizing the app again.";
  if (d.includes("audience validation failed") || d.includes("audience is invalid"))
    return ' The JWT aud claim does not match this org: use domain: "test" for a sandbox, or set audience (an Experience Cloud site URL, for example).';
  if (call.grant === "jwt-bearer" && d.includes("expired authorization code"))
    return " The assertion had expired when Salesforce read it: check this machine's clock (exp is now + expiresIn seconds, in UTC).";
  if (call.grant === "jwt-bearer" && d.includes("invalid assertion"))
    return " The signature does not match the certificate of the connected app: check that privateKey is the key of the certificate uploaded to the app.";
  if (error === "invalid_client_id")
    return " Check consumerKey: it must be the connected app's Consumer Key.";
  if (error === "invalid_client")
    return " Check consumerKey and consumerSecret: they must be the connected app's Consumer Key and Secret.";
  if (error === "unsupported_grant_type")
    return ` The ${call.grant} flow is not enabled for this org or connected app.`;
  if (error === "invalid_grant" && d.startsWith("authentication failure"))
    return call.grant === "password"
      ? " Check username and password (with the security token appended, or securityToken given), and that the user may use this connected app."
      : " Check the username and that the user may use this connected app.";
  if (error === "inactive_user") return " The user is frozen or inactive.";
  return "";
}

function authorizeUrl(call: TokenCall): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: call.consumerKey ?? "",
    redirect_uri: "<a callback URL of the app>",
  });
  return `${call.loginUrl}/services/oauth2/authorize?${query.toString()}`;
}

/**
 * POSTs a grant to the token endpoint and returns the parsed token response, or throws
 * SalesforceAuthenticationFailed with Salesforce's `error` as its code and
 * `error_description` in the message.
 */
export async function requestToken(ctx: AuthContext, call: TokenCall): Promise<TokenResponse> {
  const url = `${call.loginUrl}/services/oauth2/token`;
  const scrub = (text: string) => redactSecrets(text, call.secrets());
  ctx.log.debug(`[${PKG}] ${call.grant} grant at ${url}`);
  const response = await ctx.send({
    method: "POST",
    url,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      ...call.headers,
    },
    body: new URLSearchParams(call.params).toString(),
    responseType: "text",
  });
  const fail = (code: string, message: string, content?: unknown): never => {
    throw new SalesforceAuthenticationFailed(
      scrub(`[${PKG}] ${call.grant} grant at ${call.loginUrl} failed: ${code}: ${message}`),
      {
        status: response.status,
        method: "POST",
        url,
        errorCode: code,
        code,
        ...(content !== undefined ? { content } : {}),
      },
    );
  };
  let data: unknown = response.data;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data);
    } catch {
      // not JSON: reported below
    }
  }
  if (response.status >= 300 && response.status < 400) {
    fail(
      String(response.status),
      `${call.loginUrl} answered with a redirect instead of a token. Use the org's My Domain (domain: "<mydomain>.my") or login.salesforce.com / test.salesforce.com.`,
    );
  }
  if (response.status !== 200) {
    if (data && typeof data === "object" && typeof (data as Record<string, unknown>).error === "string") {
      const { error, error_description } = data as { error: string; error_description?: unknown };
      const description = typeof error_description === "string" ? error_description : "";
      if (description.toLowerCase().includes("user hasn't approved this consumer")) {
        ctx.log.warn(
          scrub(
            `[${PKG}] the connected app is not approved for this user; approve it at ${authorizeUrl(call)}`,
          ),
        );
      }
      fail(error, `${description || "(no description)"}${hintFor(call, error, description)}`, {
        error,
        error_description: scrub(description),
      });
    }
    const text = typeof data === "string" ? data : data === undefined ? "" : JSON.stringify(data);
    const plain = text.trim().startsWith("<") ? htmlToText(text) : text.trim();
    fail(
      String(response.status),
      plain ? (plain.length > 300 ? `${plain.slice(0, 300)}…` : plain) : `HTTP ${response.status}`,
    );
  }
  const body = data as Partial<TokenResponse> | string | null;
  if (!body || typeof body !== "object") {
    const text = typeof body === "string" ? body.trim() : "";
    fail(
      "200",
      `the token endpoint's answer is not JSON${text.startsWith("<") ? `: ${htmlToText(text).slice(0, 200)}` : ""}; is ${call.loginUrl} a Salesforce login URL?`,
    );
  }
  const token = body as Partial<TokenResponse>;
  if (typeof token.access_token !== "string" || !token.access_token) {
    fail("200", "the token endpoint's answer has no access_token");
  }
  if (typeof token.instance_url !== "string" || !/^https?:\/\//i.test(token.instance_url)) {
    fail("200", "the token endpoint's answer has no http(s) instance_url");
  }
  return token as TokenResponse;
}

/** The Session for a token response: instance URL with scheme and port, ids from the identity URL. */
export function sessionFromToken(token: TokenResponse, kind: string): Session {
  const url = new URL(token.instance_url);
  const path = url.pathname.replace(/\/+$/, "");
  const ids = /\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})\/?$/.exec(token.id ?? "");
  const info: Record<string, unknown> = { kind };
  if (token.id) info["id"] = token.id;
  if (token.issued_at) info["issuedAt"] = token.issued_at;
  if (token.scope) info["scope"] = token.scope;
  if (token.token_type) info["tokenType"] = token.token_type;
  if (token.sfdc_community_url) info["communityUrl"] = token.sfdc_community_url;
  if (token.sfdc_community_id) info["communityId"] = token.sfdc_community_id;
  return createSession({
    accessToken: token.access_token,
    instanceUrl: `${url.protocol}//${url.host}${path}`,
    ...(ids ? { organizationId: ids[1]!, userId: ids[2]! } : {}),
    info,
  });
}
