import { ConfigurationError } from "@sfkit/core";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * A Date as Salesforce's replication feeds want it: UTC, `YYYY-MM-DDTHH:MM:SS+00:00`
 * (seconds precision). Core percent-encodes it once in the query string, so the `+`
 * arrives as `%2B` and the colons as `%3A`.
 */
export function toReplicationDate(value: Date | string, what: string): string {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === "string") {
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) {
      throw new ConfigurationError(
        `${what} ${JSON.stringify(value)} has no time zone; pass a Date, or an ISO-8601 string ending in Z or an offset such as +02:00.`,
      );
    }
    date = new Date(value);
  } else {
    throw new ConfigurationError(`${what} must be a Date (got ${typeof value}).`);
  }
  if (Number.isNaN(date.getTime())) {
    throw new ConfigurationError(`${what} is an invalid date (${String(value)}).`);
  }
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}+00:00`
  );
}

/** Both bounds of a deleted/updated window, checked: valid dates and start before end. */
export function replicationWindow(start: Date | string, end: Date | string): { start: string; end: string } {
  const from = toReplicationDate(start, "start");
  const to = toReplicationDate(end, "end");
  if (new Date(start).getTime() >= new Date(end).getTime()) {
    throw new ConfigurationError(`start (${from}) must be before end (${to}).`);
  }
  return { start: from, end: to };
}
