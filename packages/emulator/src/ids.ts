// Salesforce record ids: 15 case-sensitive characters (3-character key prefix first), and the
// 18-character case-safe form with a 3-character checksum suffix.

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The 3-character checksum that turns a 15-character id into its 18-character form. */
export function idChecksum(id15: string): string {
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** The 18-character form of a 15- or 18-character id (an 18-character id is re-checksummed). */
export function to18(id: string): string {
  const id15 = id.slice(0, 15);
  return id15 + idChecksum(id15);
}

/** True when the text has the shape of a Salesforce id (15 chars, or 18 with a valid checksum). */
export function isValidId(id: unknown): id is string {
  if (typeof id !== "string" || !ID_PATTERN.test(id)) return false;
  if (id.length === 18) return idChecksum(id.slice(0, 15)) === id.slice(15).toUpperCase();
  return true;
}

/**
 * Normalizes a 15- or 18-character id to the 18-character form, or returns null when the text
 * is not an id. An 18-character id whose suffix case differs is accepted (Salesforce does).
 */
export function normalizeId(id: unknown): string | null {
  return isValidId(id) ? to18(id) : null;
}

/** Generates sequential ids per key prefix, e.g. `001` → `001Qy00000000001AAA`. */
export class IdGenerator {
  constructor(
    public counter = 0,
    private readonly pod = "Qy",
  ) {}

  next(prefix: string): string {
    this.counter++;
    let n = this.counter;
    let body = "";
    while (n > 0) {
      body = BASE62[n % 62] + body;
      n = Math.floor(n / 62);
    }
    const id15 = (prefix + this.pod + body.padStart(10, "0")).slice(0, 15);
    return id15 + idChecksum(id15);
  }
}

/** Random characters from [0-9A-Za-z] (tokens, locators). */
export function randomAlnum(length: number): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = "";
  for (const b of bytes) out += BASE62[b % 62];
  return out;
}
