import { CliError, UsageError } from "../../framework/errors.js";
import type { CliClient } from "../../org/connect.js";
import { parseValues } from "./values.js";

/** The record id from --record-id, or by a query on --where (exactly one match). */
export async function targetRecordId(
  client: CliClient,
  sobject: string,
  flags: { "record-id"?: string | undefined; where?: string | undefined },
): Promise<string> {
  if (flags["record-id"] && flags.where) throw new UsageError("Give --record-id or --where, not both.");
  if (flags["record-id"]) return flags["record-id"];
  if (!flags.where) throw new UsageError('Say which record: --record-id <id> or --where "Field=value".');
  const { soqlLiteral } = await import("@sfkit/rest");
  const pairs = parseValues(flags.where, "--where");
  const conditions = Object.entries(pairs).map(([field, value]) =>
    value === null ? `${field} = null` : `${field} = ${soqlLiteral(value)}`,
  );
  const soql = `SELECT Id FROM ${sobject} WHERE ${conditions.join(" AND ")} LIMIT 2`;
  const result = await client.query(soql);
  if (result.records.length !== 1) {
    throw new CliError(
      `--where matched ${result.records.length === 0 ? "no" : "more than one"} ${sobject} record: ${conditions.join(" AND ")}.`,
      { code: result.records.length === 0 ? "ERR_NO_RECORD" : "ERR_MANY_RECORDS" },
    );
  }
  return String(result.records[0]!.Id);
}

export function checkSobject(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name))
    throw new UsageError(
      `--sobject ${JSON.stringify(name)} is not an sObject API name (letters, digits and _).`,
    );
  return name;
}
