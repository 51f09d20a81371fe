import { ConfigurationError } from "@sfkit/core";

/** The characters SOSL reserves inside a FIND term: `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -`. */
export const SOSL_RESERVED = "?&|!{}[]()^~*:\\\"'+-";

/**
 * Escapes a search term for `FIND {...}`: each reserved character gets one backslash
 * (a backslash itself becomes `\\`), so the term matches literally and cannot close the
 * braces. Apply it once, to the raw term.
 */
export function escapeSosl(term: string): string {
  if (typeof term !== "string") throw new ConfigurationError("escapeSosl() takes a string.");
  return term.replace(/[?&|!{}[\]()^~*:\\"'+-]/g, (c) => `\\${c}`);
}

/** Options of `quickSearch`. */
export interface QuickSearchOptions {
  /** `IN ALL FIELDS` (default), `NAME`, `EMAIL`, `PHONE` or `SIDEBAR` fields. */
  in?: "ALL" | "NAME" | "EMAIL" | "PHONE" | "SIDEBAR";
  /** A RETURNING clause without the keyword, e.g. `"Contact(Id, Name), Account(Id)"`. */
  returning?: string;
  /** Overall LIMIT. */
  limit?: number;
}

/** Builds `FIND {escaped term} [IN x FIELDS] [RETURNING ...] [LIMIT n]`. */
export function buildQuickSearch(term: string, options: QuickSearchOptions = {}): string {
  if (typeof term !== "string" || term.trim().length === 0) {
    throw new ConfigurationError("quickSearch() needs a non-empty search term.");
  }
  let sosl = `FIND {${escapeSosl(term)}}`;
  if (options.in) sosl += ` IN ${options.in} FIELDS`;
  if (options.returning) sosl += ` RETURNING ${options.returning}`;
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit <= 0) {
      throw new ConfigurationError(`quickSearch limit must be a positive integer, not ${options.limit}.`);
    }
    sosl += ` LIMIT ${options.limit}`;
  }
  return sosl;
}
