import { htmlToText, parseXml, type XmlNode, xmlText } from "@sfkit/core";

/** The `userInfo` of a partner login result, as Salesforce sends it (all values as text). */
export type SoapUserInfo = Record<string, string>;

/** The parts of the partner `LoginResult` that sfkit uses. */
export interface SoapLoginResult {
  sessionId: string;
  serverUrl: string;
  metadataServerUrl: string | undefined;
  userId: string | undefined;
  organizationId: string | undefined;
  passwordExpired: boolean;
  sandbox: boolean;
  sessionSecondsValid: number | undefined;
  userInfo: SoapUserInfo;
}

/** A SOAP fault, or what could be read from a failed response that was not one. */
export interface SoapFault {
  /** Salesforce's ExceptionCode (INVALID_LOGIN, ...), or the HTTP status when the body was not a fault. */
  code: string;
  message: string;
}

function child(node: XmlNode | XmlNode[] | undefined, name: string): XmlNode | XmlNode[] | undefined {
  const one = Array.isArray(node) ? node[0] : node;
  return one && typeof one === "object" ? one[name] : undefined;
}

function text(node: XmlNode | XmlNode[] | undefined): string | undefined {
  const one = Array.isArray(node) ? node[0] : node;
  return typeof one === "string" ? one : undefined;
}

/**
 * Reads a `loginResponse` envelope. Returns undefined when the body holds no session
 * (the caller then reports it as a failed login).
 */
export function parseLoginResponse(xml: string): SoapLoginResult | undefined {
  const doc = parseXml(xml);
  const result = child(child(child(doc["Envelope"], "Body"), "loginResponse"), "result");
  const sessionId = text(child(result, "sessionId"));
  const serverUrl = text(child(result, "serverUrl"));
  if (!sessionId || !serverUrl) return undefined;
  const userInfoNode = child(result, "userInfo");
  const userInfo: SoapUserInfo = {};
  const info = Array.isArray(userInfoNode) ? userInfoNode[0] : userInfoNode;
  if (info && typeof info === "object") {
    for (const [key, value] of Object.entries(info)) {
      const value1 = text(value);
      if (value1 !== undefined) userInfo[key] = value1;
    }
  }
  const seconds = Number(userInfo["sessionSecondsValid"]);
  return {
    sessionId,
    serverUrl,
    metadataServerUrl: text(child(result, "metadataServerUrl")),
    userId: text(child(result, "userId")) ?? userInfo["userId"],
    organizationId: userInfo["organizationId"],
    passwordExpired: text(child(result, "passwordExpired")) === "true",
    sandbox: text(child(result, "sandbox")) === "true",
    sessionSecondsValid: Number.isFinite(seconds) && seconds > 0 ? seconds : undefined,
    userInfo,
  };
}

/**
 * The fault of a failed SOAP call: `exceptionCode` / `exceptionMessage` of the fault
 * detail, else `faultcode` / `faultstring`; for a body that is not XML (an HTML page from
 * a proxy or a maintenance window), the HTTP status and the page's text.
 */
export function readFault(status: number, body: unknown): SoapFault {
  const raw =
    typeof body === "string" ? body : body === undefined || body === null ? "" : JSON.stringify(body);
  const trimmed = raw.trim();
  if (trimmed.startsWith("<") && !/^<!doctype html|^<html/i.test(trimmed)) {
    const faultCode = xmlText(trimmed, "faultcode")?.replace(/^[\w-]+:/, "");
    const code = xmlText(trimmed, "exceptionCode") ?? faultCode;
    const faultString = xmlText(trimmed, "faultstring");
    const message =
      xmlText(trimmed, "exceptionMessage") ??
      (faultString && code ? faultString.replace(new RegExp(`^${code}:\\s*`), "") : faultString);
    if (code || message) return { code: code ?? String(status), message: message ?? "" };
  }
  const plain = /^</.test(trimmed)
    ? htmlToText(trimmed)
        .replace(/<\/?[a-z][^>]*$/i, "")
        .trim()
    : trimmed;
  return {
    code: String(status),
    message: plain.length > 300 ? `${plain.slice(0, 300)}…` : plain || `HTTP ${status} with an empty body`,
  };
}

/**
 * The instance URL from a `serverUrl`: scheme, host and port kept, path dropped. An old
 * pod host `na15-api.salesforce.com` loses its `-api`; nothing else is touched
 * (`my-apiorg.my.salesforce.com` and `acme-api.my.salesforce.com` stay as they are).
 */
export function instanceUrlFromServerUrl(serverUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  // Only a pod host (na15-api.salesforce.com) has an -api form; a My Domain may be named "x-api".
  const pod = /^([a-z]{2,4}\d+)-api(\.salesforce\.(?:com|mil))$/i.exec(url.hostname);
  const host = pod ? `${pod[1]}${pod[2]}${url.port ? `:${url.port}` : ""}` : url.host;
  return `${url.protocol}//${host}`;
}
