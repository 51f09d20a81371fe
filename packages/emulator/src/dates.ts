// Date and time formats on the Salesforce REST wire.

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `2024-01-01T00:00:00.000+0000` */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

/** `2024-01-01` */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO-8601 date or dateTime (Z, +hh:mm, +hhmm, optional millis) to epoch ms, or NaN. */
export function parseDateTime(text: string): number {
  const m = DATETIME_RE.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0", zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return Number.NaN;
  }
  let ms = Date.UTC(
    Number(y),
    month - 1,
    day,
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.slice(0, 3).padEnd(3, "0")),
  );
  if (new Date(ms).getUTCDate() !== day) return Number.NaN;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}

/** Parses `YYYY-MM-DD` (or the date part of a dateTime) to the UTC midnight epoch ms, or NaN. */
export function parseDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.trim());
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).getUTCDate() === Number(m[3]) ? ms : Number.NaN;
}

/** `13:45:00.000Z` from `13:45`, `13:45:00`, `13:45:00.000Z`; null when malformed. */
export function normalizeTime(text: string): string | null {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(text.trim());
  if (!m) return null;
  return `${m[1]}:${m[2]}:${m[3] ?? "00"}.${(m[4] ?? "0").padEnd(3, "0")}Z`;
}

/** RFC 1123 date for HTTP headers. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Offset of an IANA time zone from UTC at an instant, in ms (0 for GMT/UTC and unknown zones). */
export function utcOffsetMs(timeZone: string | undefined, at: number): number {
  if (!timeZone || timeZone === "GMT" || timeZone === "UTC") return 0;
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(
      new Date(at),
    );
    const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  } catch {
    return 0;
  }
}
