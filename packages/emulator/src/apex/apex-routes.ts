// Apex REST in the emulator: tests register handlers the way an org deploys
// `@RestResource` classes, and requests to /services/apexrest/... are answered as
// Salesforce answers them (unknown URL → 404 NOT_FOUND, method the class lacks → 405,
// uncaught exception → 500 APEX_ERROR).

import { type CompiledMapping, compileMapping, pathSegments } from "./url-mapping.js";

export type ApexHttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What a handler is given: the parts of Apex's `RestContext.request`, in JavaScript. */
export interface ApexRequest {
  method: string;
  /** The path after /services/apexrest, decoded ("/Account/001XX0000000001AAA"); Apex's requestURI. */
  path: string;
  /** The urlMapping that matched, e.g. "/Account/*". */
  mapping: string;
  /** Query parameters (Apex's `params`); a repeated parameter keeps its last value. */
  params: Record<string, string>;
  /** Values of `:name` segments of the mapping. */
  pathParams: Record<string, string>;
  /** What the mapping's (last) "*" matched ("" when nothing); undefined without a "*". */
  wildcard: string | undefined;
  /** What each "*" of the mapping matched, in order. */
  wildcards: string[];
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /**
   * The body: parsed JSON when it is JSON (by Content-Type, or by shape when there is none),
   * text for textual types and JSON that does not parse, a Buffer otherwise; undefined when
   * the request had no body.
   */
  body: unknown;
  /** The body bytes exactly as received (empty when none). */
  rawBody: Buffer;
}

/**
 * What a handler returns: `{ status, headers, body }`, or any other value, which is sent
 * as Apex sends a method's return value (200, JSON). A `body` that is a string goes out as
 * text when `headers` gives a non-JSON Content-Type, and as a JSON string otherwise; a
 * Buffer goes out as bytes; undefined or null means an empty body.
 */
export interface ApexResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A handler: receives the request (plus what the server adds, `Extra`), returns a response or a value. */
export type ApexHandler<Extra extends object = {}> = (request: ApexRequest & Extra) => unknown;

/** A request as the emulator's HTTP server hands it over. */
export interface ApexIncoming {
  method: string;
  /** The raw path after /services/apexrest, e.g. "/Account/001%20x" (no query string). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What the HTTP server writes back. */
export interface ApexOutgoing {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A request the emulator received on /services/apexrest, kept for assertions in tests. */
export interface ApexRecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  rawBody: Buffer;
  status: number;
}

/** `org.apex`: register Apex REST resources for tests. */
export interface ApexRoutes<Extra extends object = {}> {
  /**
   * Answers `method` requests on `urlMapping` ("/User/Activity", "/Account/*",
   * "/Account/:id/contacts") with `handler`. Returns a function that removes the route.
   */
  route(
    method: ApexHttpMethod | Lowercase<ApexHttpMethod>,
    urlMapping: string,
    handler: ApexHandler<Extra>,
  ): () => void;
  /** The registered resources: each urlMapping with its methods. */
  readonly routes: ReadonlyArray<{ urlMapping: string; methods: string[] }>;
  /** Removes every route and forgets the recorded requests. */
  clear(): void;
  /** The requests received on /services/apexrest, oldest first (the last 200). */
  readonly requests: readonly ApexRecordedRequest[];
}

const JSON_TYPE = "application/json;charset=UTF-8";

const toJson = (value: unknown): string => JSON.stringify(value) ?? "null";

/** An error that carries its own HTTP answer (the emulator's HttpError, or any `{ status, body }` error). */
interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function isHttpAnswer(error: unknown): error is HttpAnswer {
  const candidate = error as Partial<HttpAnswer> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    Number.isInteger(candidate.status) &&
    (candidate.status as number) >= 400 &&
    (candidate.status as number) <= 599 &&
    "body" in candidate
  );
}
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const HISTORY = 200;

interface Resource<Extra extends object> {
  mapping: CompiledMapping;
  handlers: Map<string, ApexHandler<Extra>>;
}

function flatHeaders(headers: ApexIncoming["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** The recorded copy of the headers keeps the auth scheme but not the token. */
function redactCredentials(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  if (copy.authorization) copy.authorization = copy.authorization.replace(/^(\S+\s+).*$/, "$1[redacted]");
  if (copy["x-sfdc-session"]) copy["x-sfdc-session"] = "[redacted]";
  return copy;
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
  const jsonish = type === "" || type.endsWith("/json") || type.endsWith("+json");
  const textual =
    type.startsWith("text/") || type.endsWith("/xml") || type.endsWith("+xml") || type.includes("urlencoded");
  if (jsonish) {
    const text = raw.toString("utf8");
    try {
      return JSON.parse(text);
    } catch {
      return type === "" && !isUtf8(raw) ? raw : text;
    }
  }
  return textual ? raw.toString("utf8") : raw;
}

function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString("utf8"), "utf8").equals(bytes);
}

function isResponseShape(value: unknown): value is ApexResponse {
  if (!value || typeof value !== "object" || Array.isArray(value) || value instanceof Uint8Array)
    return false;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((key) => key === "status" || key === "headers" || key === "body"))
    return false;
  const { status, headers } = value as ApexResponse;
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) return false;
  return headers === undefined || (typeof headers === "object" && headers !== null);
}

function toOutgoing(result: unknown): ApexOutgoing {
  const shaped: ApexResponse = isResponseShape(result) ? result : { status: 200, body: result };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(shaped.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const status = shaped.status ?? 200;
  const body = shaped.body;
  if (body === undefined || body === null) return { status, headers, body: Buffer.alloc(0) };
  if (body instanceof Uint8Array) {
    headers["content-type"] ??= "application/octet-stream";
    return { status, headers, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  }
  const declared = headers["content-type"];
  if (typeof body === "string" && declared && !/json/i.test(declared)) {
    return { status, headers, body: Buffer.from(body, "utf8") };
  }
  headers["content-type"] ??= JSON_TYPE;
  return { status, headers, body: Buffer.from(toJson(body), "utf8") };
}

function apexError(error: unknown, mapping: string, method: string): ApexOutgoing {
  if (isHttpAnswer(error)) {
    const body = typeof error.body === "string" ? error.body : toJson(error.body);
    return {
      status: error.status,
      headers: {
        "content-type": typeof error.body === "string" ? "text/plain;charset=UTF-8" : JSON_TYPE,
        ...error.headers,
      },
      body: Buffer.from(body, "utf8"),
    };
  }
  const name = error instanceof Error ? error.name : "Exception";
  const type =
    name === "Error" || name === "Exception"
      ? "System.Exception"
      : name.includes(".")
        ? name
        : `System.${name}`;
  const text = error instanceof Error ? error.message : String(error);
  const className = mapping.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "Root";
  const message = `${type}: ${text}\n\nClass.${className}.do${method[0]}${method.slice(1).toLowerCase()}: line 1, column 1`;
  return {
    status: 500,
    headers: { "content-type": JSON_TYPE },
    body: Buffer.from(toJson([{ errorCode: "APEX_ERROR", message }]), "utf8"),
  };
}

/** The Apex REST part of an emulated org. */
export function createApexRoutes<Extra extends object = {}>(): ApexRoutes<Extra> & {
  /** Answers one request; `extra` is merged into what the handler receives. */
  dispatch(request: ApexIncoming, extra?: Extra): Promise<ApexOutgoing>;
} {
  const resources: Resource<Extra>[] = [];
  const history: ApexRecordedRequest[] = [];

  const find = (segments: string[]) => {
    const matches: Array<{
      resource: Resource<Extra>;
      found: NonNullable<ReturnType<CompiledMapping["match"]>>;
    }> = [];
    for (const resource of resources) {
      const found = resource.mapping.match(segments);
      if (found) matches.push({ resource, found });
    }
    const exact = matches.find((m) => m.resource.mapping.exact);
    if (exact) return exact;
    let best: (typeof matches)[number] | undefined;
    for (const m of matches) {
      if (!best || m.resource.mapping.pattern.length > best.resource.mapping.pattern.length) best = m;
    }
    return best;
  };

  const answer = async (
    incoming: ApexIncoming,
    headers: Record<string, string>,
    extra: Extra | undefined,
  ): Promise<ApexOutgoing> => {
    const method = incoming.method.toUpperCase();
    const segments = pathSegments(incoming.path);
    const decodedPath = `/${segments.join("/")}`;
    const hit = find(segments);
    if (!hit) {
      return {
        status: 404,
        headers: { "content-type": JSON_TYPE },
        body: Buffer.from(
          toJson([{ errorCode: "NOT_FOUND", message: `Could not find a match for URL ${decodedPath}` }]),
          "utf8",
        ),
      };
    }
    const { resource, found } = hit;
    const handler =
      resource.handlers.get(method) ?? (method === "HEAD" ? resource.handlers.get("GET") : undefined);
    if (!handler) {
      const allowed = [...resource.handlers.keys()].join(",");
      return {
        status: 405,
        headers: { "content-type": JSON_TYPE, allow: allowed },
        body: Buffer.from(
          toJson([
            {
              errorCode: "METHOD_NOT_ALLOWED",
              message: `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
            },
          ]),
          "utf8",
        ),
      };
    }
    const params: Record<string, string> = {};
    for (const [key, value] of incoming.query) params[key] = value;
    const request: ApexRequest = {
      method,
      path: decodedPath,
      mapping: resource.mapping.pattern,
      params,
      pathParams: found.pathParams,
      wildcard: found.wildcard,
      wildcards: found.wildcards,
      headers,
      body: parseBody(incoming.body, headers["content-type"]),
      rawBody: incoming.body,
    };
    let outgoing: ApexOutgoing;
    try {
      outgoing = toOutgoing(await handler({ ...(extra as Extra), ...request }));
    } catch (error) {
      outgoing = apexError(error, resource.mapping.pattern, method);
    }
    if (method === "HEAD") outgoing = { ...outgoing, body: Buffer.alloc(0) };
    return outgoing;
  };

  return {
    route(method, urlMapping, handler) {
      const upper = String(method).toUpperCase();
      if (!METHODS.has(upper)) {
        throw new TypeError(
          `org.apex.route: ${JSON.stringify(method)} is not GET, POST, PUT, PATCH or DELETE.`,
        );
      }
      if (typeof handler !== "function") {
        throw new TypeError(
          "org.apex.route needs a handler function: (request) => value or { status, headers, body }.",
        );
      }
      const mapping = compileMapping(urlMapping);
      let resource = resources.find((r) => r.mapping.pattern === mapping.pattern);
      if (!resource) {
        resource = { mapping, handlers: new Map() };
        resources.push(resource);
      }
      const target = resource;
      target.handlers.set(upper, handler);
      return () => {
        if (target.handlers.get(upper) !== handler) return;
        target.handlers.delete(upper);
        if (target.handlers.size === 0) resources.splice(resources.indexOf(target), 1);
      };
    },
    clear() {
      resources.length = 0;
      history.length = 0;
    },
    get requests() {
      return history;
    },
    get routes() {
      return resources.map((r) => ({ urlMapping: r.mapping.pattern, methods: [...r.handlers.keys()] }));
    },
    async dispatch(incoming, extra) {
      const headers = flatHeaders(incoming.headers);
      const outgoing = await answer(incoming, headers, extra);
      const params: Record<string, string> = {};
      for (const [key, value] of incoming.query) params[key] = value;
      history.push({
        method: incoming.method.toUpperCase(),
        path: `/${pathSegments(incoming.path).join("/")}`,
        params,
        headers: redactCredentials(headers),
        rawBody: incoming.body,
        status: outgoing.status,
      });
      if (history.length > HISTORY) history.shift();
      return outgoing;
    },
  };
}
