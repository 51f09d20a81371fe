import { decodeBytes, decodeStream, readBytes } from "./body.js";
import { errorFromResponse, htmlToText, readErrorBody } from "./errors/error-from-response.js";
import { SalesforceMalformedResponse } from "./errors/salesforce-error.js";
import type { ResponseType, SalesforceResponse, TransportResponse } from "./types.js";

/** Error bodies are read up to this size; the rest is drained. */
const ERROR_BODY_LIMIT = 1024 * 1024;

/**
 * The one response parser: every response of every plugin and transport comes through
 * here, to a value or to the typed error of API.md's table.
 */
export async function parseResponse(
  request: { method: string; url: string; responseType: ResponseType },
  response: TransportResponse,
  /** What a stream's reader gets when the body breaks mid-read (a typed error). */
  streamError?: (cause: unknown) => Error,
): Promise<SalesforceResponse> {
  const { status, headers } = response;
  const contentType = headers["content-type"];
  if (status >= 300 && status !== 304) {
    const bytes = decodeBytes(await readBytes(response.body, ERROR_BODY_LIMIT), headers["content-encoding"]);
    throw errorFromResponse(request, status, readErrorBody(bytes.toString("utf8"), contentType));
  }
  if (request.responseType === "stream") {
    return { status, headers, url: request.url, data: decodeStream(response.body, streamError) };
  }
  const bytes = decodeBytes(await readBytes(response.body), headers["content-encoding"]);
  return { status, headers, url: request.url, data: decodeSuccessBody(request, status, bytes, contentType) };
}

function decodeSuccessBody(
  request: { method: string; url: string; responseType: ResponseType },
  status: number,
  bytes: Buffer,
  contentType: string | undefined,
): unknown {
  if (request.responseType === "buffer") return bytes;
  if (status === 204 || status === 205 || status === 304 || bytes.length === 0) return null;
  const text = bytes.toString("utf8");
  if (request.responseType === "text") return text;
  const type = (contentType ?? "").toLowerCase();
  const wantsJson = request.responseType === "json" || type.includes("json");
  if (wantsJson) return parseJson(request, status, text, contentType);
  if (type.startsWith("text/") || type.includes("xml") || type.includes("html")) return text;
  if (!type) return /^\s*[[{"]/.test(text) ? parseJson(request, status, text, contentType) : text;
  return bytes;
}

function parseJson(
  request: { method: string; url: string },
  status: number,
  text: string,
  contentType: string | undefined,
) {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const looksHtml = /^\s*</.test(text);
    const excerpt = (looksHtml ? htmlToText(text) : text).slice(0, 500);
    throw new SalesforceMalformedResponse(
      `${request.method} ${new URL(request.url).pathname} → ${status}: the body is not the JSON its ${contentType ? `Content-Type (${contentType})` : "request"} promised: ${excerpt}`,
      {
        status,
        method: request.method,
        url: request.url,
        content: text.slice(0, 2000),
        excerpt,
        cause,
        code: "ERR_MALFORMED_RESPONSE",
      },
    );
  }
}
