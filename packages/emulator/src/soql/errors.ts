// SOQL errors in Salesforce's message form: the query line, a caret under the offending token,
// `ERROR at Row:r:Column:c`, then the detail.
import { HttpError } from "../errors.js";

/** Position (row, column, 1-based) of a token in the query; the first whole-word match. */
export function locate(soql: string, token: string | undefined, after = 0): { row: number; col: number } {
  let index = -1;
  if (token) {
    const esc = token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`(^|[^A-Za-z0-9_.])(${esc})(?![A-Za-z0-9_])`, "gi");
    re.lastIndex = after;
    const m = re.exec(soql);
    if (m) index = m.index + m[1]!.length;
  }
  if (index < 0) index = Math.max(0, soql.length);
  const before = soql.slice(0, index);
  const row = before.split("\n").length;
  const col = index - before.lastIndexOf("\n");
  return { row, col };
}

export function soqlMessage(soql: string, token: string | undefined, detail: string, after = 0): string {
  const { row, col } = locate(soql, token, after);
  const line = soql.split("\n")[row - 1] ?? soql;
  return `\n${line}\n${" ".repeat(col - 1)}^\nERROR at Row:${row}:Column:${col}\n${detail}`;
}

export class SoqlError extends HttpError {
  constructor(
    public readonly errorCode: string,
    public readonly detail: string,
    message: string,
  ) {
    super(400, [{ message, errorCode }]);
  }
}

export function soqlError(
  code: string,
  soql: string,
  token: string | undefined,
  detail: string,
  after = 0,
): SoqlError {
  return new SoqlError(code, detail, soqlMessage(soql, token, detail, after));
}

export function noSuchColumn(soql: string, field: string, entity: string): SoqlError {
  return soqlError(
    "INVALID_FIELD",
    soql,
    field,
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function badRelationship(soql: string, rel: string, token: string): SoqlError {
  return soqlError(
    "INVALID_FIELD",
    soql,
    token,
    `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function unsupportedType(soql: string, type: string): SoqlError {
  return soqlError(
    "INVALID_TYPE",
    soql,
    type,
    `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}
