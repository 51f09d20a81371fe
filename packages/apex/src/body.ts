import { ConfigurationError, type RequestBody } from "@sfkit/core";
import type { ApexBody } from "./types.js";

const isJsonType = (type: string) => /^application\/([\w.+-]*\+)?json\b/i.test(type.trim());

const isStream = (value: object) =>
  typeof (value as { pipe?: unknown }).pipe === "function" || Symbol.asyncIterator in value;

/**
 * Serialises an Apex request body according to its content type (known fault F20):
 * no data → no body at all (never the text `null`); strings, bytes and streams → as given;
 * objects, arrays, numbers and booleans → JSON, unless the caller declared a non-JSON
 * content type, which is a mistake we say out loud rather than mislabel.
 * `headers` holds lower-case names and is completed with a content type where one is implied.
 */
export function apexBody(
  data: ApexBody,
  headers: Record<string, string>,
  method: string,
): RequestBody | undefined {
  if (data === undefined || data === null) return undefined;
  if (method === "GET" || method === "HEAD") {
    throw new ConfigurationError(
      `A ${method} request cannot carry a body: pass the values as query parameters ({ params: { ... } }), or send them with method: "POST".`,
    );
  }
  const declared = headers["content-type"];
  if (typeof data === "string") {
    headers["content-type"] ??= "application/json";
    return data;
  }
  if (data instanceof ArrayBuffer) {
    headers["content-type"] ??= "application/octet-stream";
    return new Uint8Array(data);
  }
  if (data instanceof Uint8Array) {
    headers["content-type"] ??= "application/octet-stream";
    return data;
  }
  if (data instanceof URLSearchParams) return data;
  if (typeof data === "object" && !Array.isArray(data) && isStream(data)) {
    headers["content-type"] ??= "application/octet-stream";
    return data as RequestBody;
  }
  if (declared !== undefined && !isJsonType(declared)) {
    throw new ConfigurationError(
      `The body is ${Array.isArray(data) ? "an array" : `a ${typeof data}`}, which sfkit sends as JSON, but the Content-Type header says ${JSON.stringify(declared)}. Serialise it yourself and pass a string or Buffer, or drop the header.`,
    );
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (cause) {
    throw new ConfigurationError(
      `The Apex request body cannot be written as JSON: ${(cause as Error).message}. Pass plain data (no BigInt, no cycles), or a string.`,
      { cause },
    );
  }
  if (text === undefined) {
    throw new ConfigurationError(
      `The Apex request body (${typeof data}) has no JSON form; pass an object, array, number, boolean or string.`,
    );
  }
  headers["content-type"] = declared ?? "application/json";
  return text;
}
