// Errors that handlers throw; the router turns them into Salesforce's wire format.

export interface RestErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** An HTTP answer thrown from a handler: status + body (JSON unless `raw`). */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly body: unknown,
    public readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === "string" ? body : `HTTP ${status}`);
  }
}

/** A REST error: `[{"message":…,"errorCode":…}]` (key order as Salesforce sends most errors). */
export function restError(status: number, errorCode: string, message: string, fields?: string[]): HttpError {
  const item: RestErrorItem = { message, errorCode };
  if (fields) item.fields = fields;
  return new HttpError(status, [item]);
}

/** The routing 404, whose keys come `errorCode` first in real recordings. */
export function notFoundError(message = "The requested resource does not exist"): HttpError {
  return new HttpError(404, [{ errorCode: "NOT_FOUND", message }]);
}

/** A record-level failure (DML), in the collections form `{statusCode, message, fields}`. */
export interface DmlError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** Thrown by the record store; converted to a REST error or a collections item by callers. */
export class DmlException extends Error {
  constructor(public readonly errors: DmlError[]) {
    super(errors.map((e) => `${e.statusCode}: ${e.message}`).join("; "));
  }
}

export function dmlError(statusCode: string, message: string, fields: string[] = []): DmlException {
  return new DmlException([{ statusCode, message, fields }]);
}

/** REST form of a DML failure: `[{"message","errorCode","fields"}]`, 400 (404 for NOT_FOUND). */
export function dmlToRest(e: DmlException): HttpError {
  const status = e.errors.some((x) => x.statusCode === "NOT_FOUND" || x.statusCode === "ENTITY_IS_DELETED")
    ? 404
    : 400;
  return new HttpError(
    status,
    e.errors.map((x) => ({ message: x.message, errorCode: x.statusCode, fields: x.fields })),
  );
}
