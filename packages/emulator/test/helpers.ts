// Test helpers: raw HTTP calls against a running emulator (no client library involved).
import type { Org } from "../src/index.js";

export interface Call {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(
  org: Org,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(org.url + path, { method: init.method ?? "GET", headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function soapLoginEnvelope(username: string, password: string, orgId?: string): string {
  const esc = (s: string) =>
    s
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;");
  const header = orgId
    ? `<env:Header><urn:LoginScopeHeader xmlns:urn="urn:partner.soap.sforce.com"><urn:organizationId>${orgId}</urn:organizationId></urn:LoginScopeHeader></env:Header>`
    : "";
  return `<?xml version="1.0" encoding="utf-8" ?><env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">${header}<env:Body><n1:login xmlns:n1="urn:partner.soap.sforce.com"><n1:username>${esc(username)}</n1:username><n1:password>${esc(password)}</n1:password></n1:login></env:Body></env:Envelope>`;
}

export async function soapLogin(
  org: Org,
  username: string,
  password: string,
  opts: { version?: string; orgId?: string } = {},
): Promise<Call> {
  const res = await fetch(`${org.loginUrl}/services/Soap/u/${opts.version ?? "64.0"}`, {
    method: "POST",
    headers: { "Content-Type": "text/xml; charset=UTF-8", SOAPAction: '""' },
    body: soapLoginEnvelope(username, password, opts.orgId),
  });
  return { status: res.status, headers: res.headers, text: await res.text(), json: undefined };
}

/** Logs in the default admin by SOAP and returns the session id. */
export async function adminToken(org: Org): Promise<string> {
  const u = org.users[0]!;
  const r = await soapLogin(org, u.username, u.password + u.securityToken);
  const m = /<sessionId>([^<]+)<\/sessionId>/.exec(r.text);
  if (!m) throw new Error(`login failed: ${r.status} ${r.text.slice(0, 200)}`);
  return m[1]!;
}

export function q(soql: string): string {
  return encodeURIComponent(soql);
}
