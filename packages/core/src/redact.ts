/** Query and form parameters whose values are secrets. */
const SECRET_PARAMS =
  /^(access_token|refresh_token|client_secret|password|assertion|sid|code|token|session_?id|security_?token|client_assertion)$/i;
/** Headers whose values are secrets. */
const SECRET_HEADERS = new Set([
  "authorization",
  "x-sfdc-session",
  "cookie",
  "set-cookie",
  "proxy-authorization",
]);

export const REDACTED = "[redacted]";

/** A URL safe to show: secret query values and userinfo replaced. */
export function redactUrl(url: string): string {
  // Core shows the URL of every attempt: one without a query, userinfo or fragment has
  // nothing to hide, so it is shown as given, without a parse.
  if (!url.includes("?") && !url.includes("@") && !url.includes("#")) return url;
  return redactUrlUncached(url);
}

function redactUrlUncached(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = "";
      parsed.password = "";
    }
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.test(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString();
  } catch {
    return url.replace(
      /([?&](?:access_token|sid|password|client_secret|refresh_token|assertion)=)[^&#]*/gi,
      `$1${REDACTED}`,
    );
  }
}

/** Headers safe to show. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    out[key] = SECRET_HEADERS.has(key.toLowerCase()) ? REDACTED : value;
  return out;
}

/** Removes every given secret (and its XML/URL-encoded forms) from a text. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), escapeForXml(secret)])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

function escapeForXml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
