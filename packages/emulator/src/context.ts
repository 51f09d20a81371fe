// The request context handed to every route handler: org state, parsed url, headers, raw body,
// the authenticated session and user, and helpers that answer in Salesforce's formats.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { HttpError, restError } from "./errors.js";
import { toJson } from "./json.js";
import type { Org } from "./org.js";
import type { EmulatedUser, Session } from "./auth/sessions.js";
import type { FaultRule } from "./faults.js";

export const JSON_TYPE = "application/json;charset=UTF-8";
export const XML_TYPE = "text/xml;charset=UTF-8";

export class RequestContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  params: Record<string, string> = {};
  /** API version of a `/services/data/vNN.0/...` route ("64.0"), when the route has `:version`. */
  apiVersion: string | undefined;
  session: Session | undefined;
  user: EmulatedUser | undefined;
  /** True once a response has been sent. */
  responded = false;
  /** Send Sforce-Limit-Info on this response. */
  limitInfo = false;
  /** Fault rule applying to this request (mid-body drops are done by send()). */
  fault: FaultRule | undefined;
  /** Extra response headers added by the framework. */
  readonly extraHeaders: Record<string, string> = {};

  constructor(
    readonly org: Org,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly url: URL,
    readonly body: Buffer,
  ) {
    this.method = (req.method ?? "GET").toUpperCase();
    this.path = normalizePath(url.pathname);
    this.query = url.searchParams;
  }

  get headers(): IncomingHttpHeaders {
    return this.req.headers;
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  /** X-PrettyPrint: 1 asks for Jackson's pretty layout. */
  get pretty(): boolean {
    const v = this.header("x-prettyprint");
    return v !== undefined && v !== "0" && v.toLowerCase() !== "false";
  }

  text(): string {
    return this.body.toString("utf8");
  }

  /** The body parsed as JSON; Salesforce's JSON_PARSER_ERROR (400) when malformed or empty. */
  json<T = unknown>(): T {
    const text = this.text();
    if (!text.trim()) {
      throw restError(
        400,
        "JSON_PARSER_ERROR",
        "The HTTP entity body is required, but this request has no entity body.",
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw restError(400, "JSON_PARSER_ERROR", jsonErrorMessage(text, e));
    }
  }

  /** The body as form fields (application/x-www-form-urlencoded). */
  form(): URLSearchParams {
    return new URLSearchParams(this.text());
  }

  send(status: number, body?: string | Buffer, headers: Record<string, string> = {}): void {
    if (this.responded) return;
    this.responded = true;
    const res = this.res;
    const all: Record<string, string> = Object.assign({}, this.extraHeaders, headers);
    if (this.limitInfo) all["Sforce-Limit-Info"] = this.org.apiUsageHeader(this.session);
    let payload: Buffer | undefined =
      body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
    const noBody = status === 204 || status === 304 || this.method === "HEAD";
    if (
      payload &&
      !noBody &&
      payload.length > 1024 &&
      this.org.options.compression !== false &&
      /\bgzip\b/.test(this.header("accept-encoding") ?? "")
    ) {
      payload = gzipSync(payload, { level: 1 });
      all["Content-Encoding"] = "gzip";
      all["Vary"] = "Accept-Encoding";
    }
    all["Date"] ??= httpDate(Date.now());
    for (const k in all) res.setHeader(k, all[k]!);
    res.statusCode = status;
    if (noBody) {
      if (status !== 204 && status !== 304 && payload) res.setHeader("Content-Length", payload.length);
      res.end();
      return;
    }
    const len = payload?.length ?? 0;
    if (this.fault?.drop === "mid-body") {
      // Headers promise the full length; half the body is written, then the socket dies. A
      // bodiless answer (Bulk 2.0's 201 to an upload) is cut after its headers: it promises one
      // byte that never comes, or it would be a complete answer and the "drop" a plain close.
      res.setHeader("Content-Length", Math.max(len, 1));
      res.flushHeaders();
      const half =
        payload && len > 0 ? payload.subarray(0, Math.max(1, Math.floor(len / 2))) : Buffer.alloc(0);
      res.write(half, () => {
        res.socket?.destroy();
      });
      return;
    }
    res.setHeader("Content-Length", len);
    res.end(payload);
  }

  sendJson(status: number, value: unknown, headers: Record<string, string> = {}): void {
    this.send(status, toJson(value, this.pretty), { "Content-Type": JSON_TYPE, ...headers });
  }

  sendXml(status: number, xml: string, headers: Record<string, string> = {}, contentType = XML_TYPE): void {
    this.send(status, xml, { "Content-Type": contentType, ...headers });
  }

  sendCsv(status: number, csv: string | Buffer, headers: Record<string, string> = {}): void {
    this.send(status, csv, { "Content-Type": "text/csv", ...headers });
  }

  sendText(status: number, text: string, contentType = "text/plain;charset=UTF-8"): void {
    this.send(status, text, { "Content-Type": contentType });
  }

  /** A REST error array `[{"message","errorCode"[, "fields"]}]`. */
  sendError(status: number, errorCode: string, message: string, fields?: string[]): void {
    const e = restError(status, errorCode, message, fields);
    this.sendJson(e.status, e.body);
  }

  /** Throws the REST 401 unless a session is attached. */
  requireSession(): Session {
    if (!this.session) throw restError(401, "INVALID_SESSION_ID", "Session expired or invalid");
    return this.session;
  }

  /** The bearer token of the request (Authorization: Bearer/OAuth, or X-SFDC-Session). */
  token(): string | undefined {
    const auth = this.header("authorization");
    if (auth) {
      const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth.trim());
      if (m) return m[1]!.trim();
    }
    const s = this.header("x-sfdc-session");
    return s ? s.trim() : undefined;
  }

  /** Absolute base URL of this server as the client reached it (instance URL). */
  get baseUrl(): string {
    return this.org.url;
  }
}

let dateSecond = -1;
let dateText = "";
/** The Date header's text, formatted once per second (as Node does for its own Date header). */
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

export function normalizePath(p: string): string {
  let path = p.replace(/\/{2,}/g, "/");
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return path || "/";
}

function jsonErrorMessage(text: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : "";
  const m = /position (\d+)/.exec(msg);
  let pos = m ? Number(m[1]) : -1;
  if (pos < 0) {
    pos = text.search(/\S/);
    if (/Unexpected end/.test(msg)) pos = text.length;
  }
  const before = text.slice(0, Math.max(0, pos));
  const line = before.split("\n").length;
  const column = pos - before.lastIndexOf("\n");
  if (pos >= text.length) {
    return `Unexpected end-of-input: expected close marker for OBJECT\n at [line:${line}, column:${column}]`;
  }
  const ch = text[pos]!;
  return `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)})): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [line:${line}, column:${column}]`;
}

export { HttpError };
