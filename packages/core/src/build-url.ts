import type { RequestOptions } from "./types.js";

/** Encodes each query value exactly once (`encodeURIComponent`: "+" → %2B, " " → %20). */
export function encodeQuery(query: RequestOptions["query"]): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.join("&");
}

/**
 * The one URL joiner. A full URL is used as given; a path starting with "/" is
 * host-relative (a `nextRecordsUrl`, `/services/apexrest/...`) and followed verbatim; any
 * other path is under `/services/data/vNN.0/`.
 */
export function buildUrl(
  instanceUrl: string,
  apiVersion: string,
  path: string,
  query?: RequestOptions["query"],
): string {
  let url: string;
  if (/^https?:\/\//i.test(path)) url = path;
  else if (path.startsWith("/")) {
    // Only an instance URL with a path prefix (https://host/prefix) needs a parse.
    const hasPrefix = instanceUrl.indexOf("/", instanceUrl.indexOf("//") + 2) !== -1;
    const prefix = hasPrefix ? new URL(instanceUrl).pathname.replace(/\/$/, "") : "";
    url = prefix && path.startsWith(`${prefix}/`) ? new URL(instanceUrl).origin + path : instanceUrl + path;
  } else url = `${instanceUrl}/services/data/v${apiVersion}/${path}`;
  const search = encodeQuery(query);
  if (!search) return url;
  return `${url}${url.includes("?") ? "&" : "?"}${search}`;
}
