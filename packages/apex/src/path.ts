import { ConfigurationError } from "@sfkit/core";
import type { ApexPath } from "./types.js";

const APEX_ROOT = "/services/apexrest";

/**
 * Percent-encodes what may not appear raw in a URL path or query, leaving an existing
 * `%XX` escape alone, so that a path is encoded exactly once whether or not the caller
 * encoded it already.
 */
function encodeLoose(text: string, allowed: RegExp): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === "%" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) out += char;
    else if (allowed.test(char)) out += char;
    else {
      const code = text.codePointAt(i) as number;
      const whole = String.fromCodePoint(code);
      out += encodeURIComponent(whole);
      i += whole.length - 1;
    }
  }
  return out;
}

const PATH_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
const QUERY_CHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

function checkSegments(segments: string[], shown: string): void {
  for (const segment of segments) {
    if (/^(\.|%2e){1,2}$/i.test(segment)) {
      throw new ConfigurationError(
        `Apex path ${JSON.stringify(shown)} contains a "${segment}" segment, which would leave /services/apexrest/; remove it.`,
      );
    }
  }
}

/**
 * The host-relative URL of an Apex REST resource. A string is the path as written after
 * `/services/apexrest/` (a leading slash or the `/services/apexrest/` prefix itself is
 * accepted; characters that cannot appear in a URL are encoded, existing escapes are kept);
 * an array gives segments, each encoded with encodeURIComponent ("a/b c" → "a%2Fb%20c").
 */
export function apexPath(path: ApexPath, namespace?: string): string {
  let relative: string;
  let query = "";
  if (Array.isArray(path)) {
    if (
      path.length === 0 ||
      path.some((segment) => typeof segment !== "string" && typeof segment !== "number")
    ) {
      throw new ConfigurationError(
        'An Apex path given as segments needs at least one string, e.g. ["Account", accountId].',
      );
    }
    const segments = path.map((segment) => String(segment));
    checkSegments(segments, segments.join("/"));
    relative = segments.map((segment) => encodeURIComponent(segment)).join("/");
  } else if (typeof path === "string") {
    if (/^https?:\/\//i.test(path)) {
      throw new ConfigurationError(
        `Apex paths are relative to /services/apexrest/; got the full URL ${JSON.stringify(path.replace(/[?#].*$/, ""))}. Pass the part after /services/apexrest/, or use client.request() for other URLs.`,
      );
    }
    const hash = path.indexOf("#");
    const withoutFragment = hash >= 0 ? path.slice(0, hash) : path;
    const mark = withoutFragment.indexOf("?");
    let pathPart = mark >= 0 ? withoutFragment.slice(0, mark) : withoutFragment;
    if (mark >= 0) query = encodeLoose(withoutFragment.slice(mark + 1), QUERY_CHAR);
    pathPart = pathPart.replace(/^\/+/, "");
    if (pathPart === APEX_ROOT.slice(1) || pathPart.startsWith(`${APEX_ROOT.slice(1)}/`)) {
      pathPart = pathPart.slice(APEX_ROOT.length).replace(/^\/+/, "");
    }
    checkSegments(pathPart.split("/"), path);
    relative = encodeLoose(pathPart, PATH_CHAR);
  } else {
    throw new ConfigurationError(
      `An Apex path must be a string such as "User/Activity" or an array of segments, not ${typeof path}.`,
    );
  }
  if (!relative) {
    throw new ConfigurationError(
      'An Apex call needs the resource path after /services/apexrest/, e.g. sf.apexecute("User/Activity").',
    );
  }
  const prefix = namespace ? `${encodeURIComponent(namespace)}/` : "";
  return `${APEX_ROOT}/${prefix}${relative}${query ? `?${query}` : ""}`;
}
