// JSON output the way Salesforce (Jackson) writes it: doubles keep a decimal point (`23.0`),
// compact by default, and Jackson's pretty style for `X-PrettyPrint: 1`.

const MARK = "\u0001";
const MARKED = /"\\u0001([^"\\]*)\\u0001"/g;

/** A number that Salesforce renders as a Java double (`23.0`, `1.0E7`). */
export class JsonDouble {
  constructor(public readonly value: number) {}
  toJSON(): string {
    return MARK + formatDouble(this.value) + MARK;
  }
  valueOf(): number {
    return this.value;
  }
}

/** Java's Double.toString for finite values. */
export function formatDouble(n: number): string {
  if (!Number.isFinite(n)) return "null";
  if (n === 0) return "0.0";
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(n);
    return s.includes(".") || s.includes("e") ? s : s + ".0";
  }
  const [mantissa, exp] = n.toExponential().split("e") as [string, string];
  const m = mantissa.includes(".") ? mantissa : mantissa + ".0";
  return `${m}E${Number(exp)}`;
}

/** Serializes a value; `pretty` selects Jackson's pretty printer layout. */
export function toJson(value: unknown, pretty = false): string {
  if (pretty) return prettyJson(value, "");
  const text = JSON.stringify(value);
  if (text === undefined) return "null";
  return text.includes("\\u0001") ? text.replace(MARKED, "$1") : text;
}

function prettyJson(value: unknown, indent: string): string {
  if (value instanceof JsonDouble) return formatDouble(value.value);
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    return "[ " + value.map((v) => prettyJson(v, indent)).join(", ") + " ]";
  }
  if (typeof value === "object") {
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
      return prettyJson((value as { toJSON(): unknown }).toJSON(), indent);
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{ }";
    const inner = indent + "  ";
    return (
      "{\n" +
      entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${prettyJson(v, inner)}`).join(",\n") +
      `\n${indent}}`
    );
  }
  return JSON.stringify(value) ?? "null";
}
