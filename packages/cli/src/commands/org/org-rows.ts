/**
 * The rows `org login` and `org display` print for people: only fields that hold a value
 * (an empty `clientId` row after a SOAP login says nothing), and the API version commands
 * will use even when none was saved. `--json` keeps every field, nulls included, so that
 * scripts see a stable shape.
 */
export function orgRows(view: Record<string, unknown>, defaultApiVersion: string): Record<string, unknown> {
  const rows: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(view)) {
    if (key === "apiVersion") rows[key] = value || `${defaultApiVersion} (sfkit's default)`;
    else if (value !== null && value !== undefined && value !== "") rows[key] = value;
  }
  return rows;
}
