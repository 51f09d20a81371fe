import { xmlText } from "../xml.js";
import { apiVersionHint } from "./api-version-hint.js";
import {
  type SalesforceError,
  type SalesforceErrorDetails,
  SalesforceExpiredSession,
  SalesforceGeneralError,
  SalesforceMalformedRequest,
  SalesforceMoreThanOneRecord,
  SalesforceRefusedRequest,
  SalesforceResourceNotFound,
} from "./salesforce-error.js";

const EXCERPT_LIMIT = 500;

/** What could be read from an error body, whatever its shape. */
export interface ErrorBody {
  errorCode: string | undefined;
  message: string | undefined;
  content: unknown;
  excerpt: string;
}

/** Text of an HTML page without tags, scripts or styles, whitespace collapsed. */
export function htmlToText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
  const text = html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return title && !text.startsWith(title) ? `${title}: ${text}` : text;
}

function bounded(text: string): string {
  return text.length > EXCERPT_LIMIT ? `${text.slice(0, EXCERPT_LIMIT)}…` : text;
}

function pick(object: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === "string" && value) return value;
  }
  return undefined;
}

/**
 * Reads every error body shape Salesforce sends: REST arrays, single objects, OAuth
 * `{error, error_description}`, Bulk 1.0 XML and JSON `exceptionCode`, SOAP faults, and
 * HTML or plain text from proxies and maintenance pages.
 */
export function readErrorBody(text: string, contentType: string | undefined): ErrorBody {
  const type = (contentType ?? "").toLowerCase();
  const trimmed = text.trim();
  if (type.includes("json") || /^[[{]/.test(trimmed)) {
    try {
      const content: unknown = JSON.parse(trimmed);
      const first = Array.isArray(content) ? content[0] : content;
      if (first && typeof first === "object" && !Array.isArray(first)) {
        const record = first as Record<string, unknown>;
        return {
          errorCode: pick(record, "errorCode", "exceptionCode", "error"),
          message: pick(record, "message", "exceptionMessage", "error_description", "msg"),
          content,
          excerpt: bounded(trimmed),
        };
      }
      return { errorCode: undefined, message: undefined, content, excerpt: bounded(trimmed) };
    } catch {
      // not JSON after all: fall through to the text forms
    }
  }
  if (type.includes("html") || /^<!doctype html|^<html/i.test(trimmed)) {
    const excerpt = bounded(htmlToText(trimmed));
    return { errorCode: undefined, message: excerpt || undefined, content: trimmed, excerpt };
  }
  if (type.includes("xml") || trimmed.startsWith("<")) {
    const faultCode = xmlText(trimmed, "faultcode");
    const errorCode =
      xmlText(trimmed, "exceptionCode") ??
      (faultCode ? faultCode.replace(/^[\w-]+:/, "") : undefined) ??
      xmlText(trimmed, "statusCode");
    const message =
      xmlText(trimmed, "exceptionMessage") ?? xmlText(trimmed, "faultstring") ?? xmlText(trimmed, "message");
    return { errorCode, message, content: trimmed, excerpt: bounded(trimmed) };
  }
  return {
    errorCode: undefined,
    message: bounded(trimmed) || undefined,
    content: trimmed,
    excerpt: bounded(trimmed),
  };
}

/** The error codes that mean "log in again"; nothing else triggers a refresh. */
export function isSessionExpiry(status: number, errorCode: string | undefined): boolean {
  if (status === 401)
    return (
      errorCode === undefined || /^(INVALID_SESSION_ID|INVALID_AUTH_HEADER|InvalidSessionId)$/.test(errorCode)
    );
  if (status === 400) return errorCode === "InvalidSessionId";
  return false;
}

/**
 * 401 INVALID_SESSION_ID bodies that describe a valid session barred from this API (a
 * high-assurance session policy, a blocked connected app): a new session cannot help, so
 * core does not refresh on them (reference F03).
 */
const BARRED_SESSION = /not valid for use with the (?:REST )?API|Connected app is not attached/i;

/** False for an expiry that logging in again cannot fix; core then reports it at once. */
export function refreshCanHelp(error: { message: string; excerpt?: string | undefined }): boolean {
  return !BARRED_SESSION.test(`${error.message}\n${error.excerpt ?? ""}`);
}

/** Maps a failed response to the class of API.md's table. */
export function errorFromResponse(
  request: { method: string; url: string },
  status: number,
  body: ErrorBody,
): SalesforceError {
  let path = request.url;
  try {
    const parsed = new URL(request.url);
    path = parsed.pathname;
  } catch {
    // keep the url as it is
  }
  const summary = body.message ?? body.excerpt ?? "";
  const hint = status === 404 ? apiVersionHint(path, body.errorCode) : undefined;
  const message = `${request.method} ${path} → ${status}${body.errorCode ? ` ${body.errorCode}` : ""}${summary ? `: ${summary}` : ""}${hint ? `. ${hint}` : ""}`;
  const details: SalesforceErrorDetails = {
    status,
    method: request.method,
    url: request.url,
    errorCode: body.errorCode,
    content: body.content,
    excerpt: body.excerpt,
  };
  if (isSessionExpiry(status, body.errorCode)) return new SalesforceExpiredSession(message, details);
  switch (status) {
    case 300:
      return new SalesforceMoreThanOneRecord(message, details);
    case 400:
      return new SalesforceMalformedRequest(message, details);
    case 401:
      return new SalesforceExpiredSession(message, details);
    case 403:
      return new SalesforceRefusedRequest(message, details);
    case 404:
      return new SalesforceResourceNotFound(message, details);
    default:
      return new SalesforceGeneralError(message, details);
  }
}
