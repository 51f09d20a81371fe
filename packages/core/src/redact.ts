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

/**
 * Normalized forms of recent URLs that hold nothing to redact (no query, no userinfo), so
 * that the URL core shows for every attempt costs no parse; URLs that could carry a secret
 * are never kept.
 */
const plainUrls = new Map<string, string>();

/** A URL safe to show: secret query values and userinfo replaced. */
export function redactUrl(url: string): string {
  const plain = !url.includes("?") && !url.includes("@");
  let shown = plain ? plainUrls.get(url) : undefined;
  if (shown === undefined) {
    shown = redactUrlUncached(url);
    if (plain) {
      if (plainUrls.size >= 256) plainUrls.clear();
      plainUrls.set(url, shown);
    }
  }
  return shown;
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
