/**
 * The "auto" reading of an Apex REST response body, as simple-salesforce's apexecute does
 * it and a little better: empty → null; JSON when it parses (objects, arrays and bare values
 * alike); textual types and bodies that are not JSON → text; binary types → a Buffer.
 */
export function decodeApexBody(bytes: Buffer, status: number, contentType: string | undefined): unknown {
  if (status === 204 || status === 205 || bytes.length === 0) return null;
  const type = (contentType ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
  const jsonish = type === "" || type.endsWith("/json") || type.endsWith("+json");
  const textual =
    type.startsWith("text/") ||
    type.endsWith("/xml") ||
    type.endsWith("+xml") ||
    type === "application/javascript" ||
    type === "application/x-www-form-urlencoded";
  if (!jsonish && !textual) return bytes;
  const text = bytes.toString("utf8");
  if (jsonish) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
