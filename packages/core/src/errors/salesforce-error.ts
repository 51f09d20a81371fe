const MARKER = Symbol.for("sfkit.error");

/** What an error knows about the call that failed. Every field is free of secrets. */
export interface SalesforceErrorDetails {
  /** A stable machine-readable code: Salesforce's errorCode when there is one, else ERR_*. */
  code?: string;
  status?: number;
  method?: string;
  /** The request URL with credentials removed. */
  url?: string;
  /** Salesforce's own error code (INVALID_SESSION_ID, MALFORMED_QUERY, InvalidBatch, ...). */
  errorCode?: string;
  /** The parsed response body (JSON value, or text for XML/HTML/plain bodies). */
  content?: unknown;
  /** At most 500 characters of the response body, HTML reduced to its text. */
  excerpt?: string;
  cause?: unknown;
}

/**
 * The base of every error sfkit throws. `instanceof SalesforceError` works, and so does
 * `SalesforceError.isInstance(e)` across duplicated copies of the package.
 */
export class SalesforceError extends Error {
  override name = "SalesforceError";
  readonly code: string;
  /** The HTTP status, or 0 when no response was received. */
  readonly status: number;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly errorCode: string | undefined;
  readonly content: unknown;
  readonly excerpt: string | undefined;

  constructor(message: string, details: SalesforceErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code =
      details.code ?? details.errorCode ?? (details.status ? `ERR_HTTP_${details.status}` : "ERR_SFKIT");
    this.status = details.status ?? 0;
    this.method = details.method;
    this.url = details.url;
    this.errorCode = details.errorCode;
    this.content = details.content;
    this.excerpt = details.excerpt;
    Object.defineProperty(this, MARKER, { value: true });
  }

  static isInstance(value: unknown): value is SalesforceError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** 300: an external id matched several records; `records` lists their URLs. */
export class SalesforceMoreThanOneRecord extends SalesforceError {
  override name = "SalesforceMoreThanOneRecord";
  get records(): string[] {
    return Array.isArray(this.content) ? this.content.filter((x): x is string => typeof x === "string") : [];
  }
}
/** 400: the request was malformed (bad SOQL, bad field, validation error...). */
export class SalesforceMalformedRequest extends SalesforceError {
  override name = "SalesforceMalformedRequest";
}
/** 401 (or Bulk 1.0's 400 InvalidSessionId): the session expired and could not be refreshed. */
export class SalesforceExpiredSession extends SalesforceError {
  override name = "SalesforceExpiredSession";
}
/** 403: refused (REQUEST_LIMIT_EXCEEDED, INSUFFICIENT_ACCESS, API_DISABLED_FOR_ORG...). Not an expired session. */
export class SalesforceRefusedRequest extends SalesforceError {
  override name = "SalesforceRefusedRequest";
}
/** 404: no such record, object or resource. */
export class SalesforceResourceNotFound extends SalesforceError {
  override name = "SalesforceResourceNotFound";
}
/** Any other status of 300 or more. */
export class SalesforceGeneralError extends SalesforceError {
  override name = "SalesforceGeneralError";
}
/** A login or token request was refused; carries Salesforce's fault code and message. */
export class SalesforceAuthenticationFailed extends SalesforceError {
  override name = "SalesforceAuthenticationFailed";
}
/** A 2xx response whose body could not be read as the content type it claimed. */
export class SalesforceMalformedResponse extends SalesforceError {
  override name = "SalesforceMalformedResponse";
}
