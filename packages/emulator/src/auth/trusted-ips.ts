// Network Access (trusted IP ranges): from a trusted address a user logs in with the password
// alone, without the security token (the "IP allow-list" login that simple-salesforce pairs with
// an organizationId).

/** "10.0.0.0/8", "192.168.1.10", "10.1.0.0-10.1.255.255" (IPv4), or an exact IPv6 address. */
export type TrustedIpRange = string;

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const v = Number(part);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Throws on a range the emulator cannot read, so that a typo does not silently trust nobody. */
export function checkTrustedIpRange(range: TrustedIpRange): void {
  if (!matcher(range)) {
    throw new Error(
      `trustedIpRanges: ${JSON.stringify(range)} is not an IPv4 address, CIDR range ("10.0.0.0/8"), "start-end" range or IPv6 address`,
    );
  }
}

function matcher(range: string): ((address: string) => boolean) | undefined {
  const text = range.trim();
  const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (cidr) {
    const base = ipv4ToNumber(cidr[1]!);
    const bits = Number(cidr[2]);
    if (base === undefined || bits > 32) return undefined;
    const size = 2 ** (32 - bits);
    const start = Math.floor(base / size) * size;
    return (a) => {
      const n = ipv4ToNumber(a);
      return n !== undefined && n >= start && n < start + size;
    };
  }
  const span = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(text);
  if (span) {
    const start = ipv4ToNumber(span[1]!);
    const end = ipv4ToNumber(span[2]!);
    if (start === undefined || end === undefined || end < start) return undefined;
    return (a) => {
      const n = ipv4ToNumber(a);
      return n !== undefined && n >= start && n <= end;
    };
  }
  if (ipv4ToNumber(text) !== undefined) return (a) => a === text;
  if (text.includes(":")) return (a) => a.toLowerCase() === text.toLowerCase();
  return undefined;
}

/** True when the client's address is inside one of the ranges. */
export function isTrustedAddress(
  ranges: readonly TrustedIpRange[],
  remoteAddress: string | undefined,
): boolean {
  if (!remoteAddress || ranges.length === 0) return false;
  const address = remoteAddress.replace(/^::ffff:/i, "");
  return ranges.some((range) => matcher(range)?.(address) === true);
}
