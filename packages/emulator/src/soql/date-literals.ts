// SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER, ...) as [start, end) ranges in epoch ms,
// computed in UTC (the emulator's users are on GMT unless a time zone offset is configured).

const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function startOfWeek(ms: number): number {
  const d = startOfDay(ms);
  const dow = new Date(d).getUTCDay(); // Sunday = 0, Salesforce's default (en_US) week start
  return d - dow * DAY;
}

function monthStart(y: number, m: number): number {
  return Date.UTC(y, m, 1);
}

function parts(ms: number): { y: number; m: number } {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() };
}

/** Range [start, end) for a literal; `n` for the _N_ forms. Undefined when unknown. */
export function dateLiteralRange(
  literal: string,
  now: number,
  n = 0,
  fiscalStartMonth = 1,
): [number, number] | undefined {
  const today = startOfDay(now);
  const { y, m } = parts(now);
  const q = Math.floor(m / 3) * 3;
  const fy = m >= fiscalStartMonth - 1 ? y : y - 1;
  const fyStart = (year: number) => Date.UTC(year, fiscalStartMonth - 1, 1);
  const fq = (() => {
    const offset = (m - (fiscalStartMonth - 1) + 12) % 12;
    return m - (offset % 3);
  })();
  switch (literal.toUpperCase()) {
    case "YESTERDAY":
      return [today - DAY, today];
    case "TODAY":
      return [today, today + DAY];
    case "TOMORROW":
      return [today + DAY, today + 2 * DAY];
    case "LAST_WEEK":
      return [startOfWeek(now) - 7 * DAY, startOfWeek(now)];
    case "THIS_WEEK":
      return [startOfWeek(now), startOfWeek(now) + 7 * DAY];
    case "NEXT_WEEK":
      return [startOfWeek(now) + 7 * DAY, startOfWeek(now) + 14 * DAY];
    case "LAST_MONTH":
      return [monthStart(y, m - 1), monthStart(y, m)];
    case "THIS_MONTH":
      return [monthStart(y, m), monthStart(y, m + 1)];
    case "NEXT_MONTH":
      return [monthStart(y, m + 1), monthStart(y, m + 2)];
    case "LAST_90_DAYS":
      return [today - 90 * DAY, today + DAY];
    case "NEXT_90_DAYS":
      return [today + DAY, today + 91 * DAY];
    case "THIS_QUARTER":
      return [monthStart(y, q), monthStart(y, q + 3)];
    case "LAST_QUARTER":
      return [monthStart(y, q - 3), monthStart(y, q)];
    case "NEXT_QUARTER":
      return [monthStart(y, q + 3), monthStart(y, q + 6)];
    case "THIS_YEAR":
      return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
    case "LAST_YEAR":
      return [Date.UTC(y - 1, 0, 1), Date.UTC(y, 0, 1)];
    case "NEXT_YEAR":
      return [Date.UTC(y + 1, 0, 1), Date.UTC(y + 2, 0, 1)];
    case "THIS_FISCAL_QUARTER":
      return [monthStart(y, fq), monthStart(y, fq + 3)];
    case "LAST_FISCAL_QUARTER":
      return [monthStart(y, fq - 3), monthStart(y, fq)];
    case "NEXT_FISCAL_QUARTER":
      return [monthStart(y, fq + 3), monthStart(y, fq + 6)];
    case "THIS_FISCAL_YEAR":
      return [fyStart(fy), fyStart(fy + 1)];
    case "LAST_FISCAL_YEAR":
      return [fyStart(fy - 1), fyStart(fy)];
    case "NEXT_FISCAL_YEAR":
      return [fyStart(fy + 1), fyStart(fy + 2)];
    case "LAST_N_DAYS":
      return [today - n * DAY, today + DAY];
    case "NEXT_N_DAYS":
      return [today + DAY, today + (n + 1) * DAY];
    case "N_DAYS_AGO":
      return [today - n * DAY, today - (n - 1) * DAY];
    case "LAST_N_WEEKS":
      return [startOfWeek(now) - n * 7 * DAY, startOfWeek(now)];
    case "NEXT_N_WEEKS":
      return [startOfWeek(now) + 7 * DAY, startOfWeek(now) + (n + 1) * 7 * DAY];
    case "N_WEEKS_AGO":
      return [startOfWeek(now) - n * 7 * DAY, startOfWeek(now) - (n - 1) * 7 * DAY];
    case "LAST_N_MONTHS":
      return [monthStart(y, m - n), monthStart(y, m)];
    case "NEXT_N_MONTHS":
      return [monthStart(y, m + 1), monthStart(y, m + 1 + n)];
    case "N_MONTHS_AGO":
      return [monthStart(y, m - n), monthStart(y, m - n + 1)];
    case "LAST_N_QUARTERS":
      return [monthStart(y, q - 3 * n), monthStart(y, q)];
    case "NEXT_N_QUARTERS":
      return [monthStart(y, q + 3), monthStart(y, q + 3 + 3 * n)];
    case "N_QUARTERS_AGO":
      return [monthStart(y, q - 3 * n), monthStart(y, q - 3 * n + 3)];
    case "LAST_N_YEARS":
      return [Date.UTC(y - n, 0, 1), Date.UTC(y, 0, 1)];
    case "NEXT_N_YEARS":
      return [Date.UTC(y + 1, 0, 1), Date.UTC(y + 1 + n, 0, 1)];
    case "N_YEARS_AGO":
      return [Date.UTC(y - n, 0, 1), Date.UTC(y - n + 1, 0, 1)];
    case "LAST_N_FISCAL_QUARTERS":
      return [monthStart(y, fq - 3 * n), monthStart(y, fq)];
    case "NEXT_N_FISCAL_QUARTERS":
      return [monthStart(y, fq + 3), monthStart(y, fq + 3 + 3 * n)];
    case "N_FISCAL_QUARTERS_AGO":
      return [monthStart(y, fq - 3 * n), monthStart(y, fq - 3 * n + 3)];
    case "LAST_N_FISCAL_YEARS":
      return [fyStart(fy - n), fyStart(fy)];
    case "NEXT_N_FISCAL_YEARS":
      return [fyStart(fy + 1), fyStart(fy + 1 + n)];
    case "N_FISCAL_YEARS_AGO":
      return [fyStart(fy - n), fyStart(fy - n + 1)];
    default:
      return undefined;
  }
}
