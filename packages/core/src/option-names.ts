import { ConfigurationError } from "./errors/configuration-error.js";

const squash = (name: string) => name.replace(/[_-]/g, "").toLowerCase();

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Refuses an option that is a misspelling of a known one (`timeot`, `security_token`,
 * `SessionId`): ignored, it would make the call fail later for a reason that does not
 * point at the typo. Keys that resemble no option are left alone, so that objects carrying
 * extra fields still pass. The value is never shown.
 */
export function checkOptionNames(
  options: object,
  known: readonly string[],
  where: string,
  renamed: Readonly<Record<string, string>> = {},
): void {
  const knownSet = new Set(known);
  for (const key of Object.keys(options)) {
    if (knownSet.has(key)) continue;
    const meant =
      renamed[key] ??
      known.find((name) => squash(name) === squash(key)) ??
      (key.length >= 4 ? known.find((name) => distance(squash(name), squash(key), 2) <= 2) : undefined);
    if (meant !== undefined) {
      throw new ConfigurationError(`${where} has no option "${key}": did you mean "${meant}"?`, {
        code: "ERR_OPTION_NAME",
      });
    }
  }
}
