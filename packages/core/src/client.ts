import { inspect } from "node:util";
import { normalizeApiVersion } from "./api-version.js";
import { parseLimitInfo } from "./api-usage.js";
import { type AuthContext, type AuthStrategy, type Session, sessionAuth } from "./auth.js";
import { buildUrl } from "./build-url.js";
import type { ClientBase } from "./client-base.js";
import type { ClientOptions } from "./client-options.js";
import { ConfigurationError } from "./errors/configuration-error.js";
import {
  SalesforceAuthenticationFailed,
  SalesforceError,
  SalesforceExpiredSession,
} from "./errors/salesforce-error.js";
import { refreshCanHelp } from "./errors/error-from-response.js";
import { SalesforceConnectionError, SalesforceTimeoutError } from "./errors/network-errors.js";
import { createHookCollection } from "./hooks.js";
import { normalizeInstanceUrl } from "./instance-url.js";
import { checkOptionNames } from "./option-names.js";
import type { Client } from "./plugin.js";
import { redactSecrets, redactUrl } from "./redact.js";
import { resolveRetry } from "./retry.js";
import { replayable, sendWithRetry } from "./send.js";
import { fetchTransport } from "./transport/fetch.js";
import { nodeFetchTransport } from "./transport/node-fetch.js";
import { proxySelector } from "./transport/proxy.js";
import type {
  ApiUsage,
  HttpMethod,
  Logger,
  PreparedRequest,
  RequestOptions,
  ResponseType,
  SalesforceResponse,
} from "./types.js";
import { VERSION } from "./version.js";

const silent = () => {};

function resolveLogger(logger: Partial<Logger> | undefined): Logger {
  return {
    debug: logger?.debug?.bind(logger) ?? silent,
    info: logger?.info?.bind(logger) ?? silent,
    warn: logger?.warn?.bind(logger) ?? silent,
    error: logger?.error?.bind(logger) ?? silent,
  };
}

function resolveAuth(options: ClientOptions): AuthStrategy | undefined {
  if (options.auth) return options.auth;
  const given = options.instanceUrl ?? options.instance;
  if (options.sessionId && given) {
    return sessionAuth({ instanceUrl: normalizeInstanceUrl(given), sessionId: options.sessionId });
  }
  if (options.sessionId) {
    throw new ConfigurationError(
      'sessionId was given without instanceUrl or instance: add the org\'s URL, e.g. instanceUrl: "https://acme.my.salesforce.com".',
    );
  }
  return undefined;
}

/** A Sforce-Limit-Info header that holds an `api-usage=used/limit` entry worth keeping. */
const READABLE_LIMIT_INFO = /(?:^|[;,])\s*api-usage\s*=\s*\d+\s*\/\s*\d+/;

function prepareBody(body: RequestOptions["body"], headers: Record<string, string>): PreparedRequest["body"] {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) {
    headers["content-type"] ??= "application/json";
    return body;
  }
  if (body instanceof URLSearchParams) {
    headers["content-type"] ??= "application/x-www-form-urlencoded";
    return body.toString();
  }
  if (typeof (body as { pipe?: unknown }).pipe === "function" || Symbol.asyncIterator in (body as object)) {
    return body as PreparedRequest["body"];
  }
  headers["content-type"] ??= "application/json";
  return JSON.stringify(body);
}

/**
 * A time-out that is not a positive number would fire at once (0, NaN) or be ignored ("5"),
 * for the client (`timeout`, `totalTimeout`) and for one request (`where` says which).
 */
function checkMilliseconds(name: string, value: unknown, where?: string): void {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return;
  const shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  throw new ConfigurationError(
    `${name} must be a positive number of milliseconds, not ${shown}${where ? ` (${where})` : ""}.`,
  );
}

/**
 * `ca` must hold PEM certificates: Node silently ignores text that is not PEM (a file path, a
 * DER file read as text), and the connection then fails as "not trusted" although a `ca` was given.
 * The value itself is never shown (it might be a key pasted by mistake).
 */
function checkCa(ca: unknown): void {
  if (ca === undefined) return;
  const entries = Array.isArray(ca) ? ca : [ca];
  entries.forEach((entry, index) => {
    const text =
      typeof entry === "string"
        ? entry
        : entry instanceof Uint8Array
          ? Buffer.from(entry).toString("latin1")
          : undefined;
    if (text?.includes("-----BEGIN CERTIFICATE-----")) return;
    const what = Array.isArray(ca) ? `ca[${index}]` : "ca";
    const got =
      text === undefined
        ? `a ${entry === null ? "null" : typeof entry}`
        : `${text.length} characters without a "-----BEGIN CERTIFICATE-----" line`;
    throw new ConfigurationError(
      `${what} must be the text of a PEM certificate ("-----BEGIN CERTIFICATE-----..."), not ${got}: for a file, pass its contents (ca: readFileSync("ca.pem", "utf8")); for the emulator, pass org.ca.`,
    );
  });
}

/** Creates a client. Add capabilities with `.extend(rest())` and friends. */
/** Every ClientOptions key, for the misspelling check (a type test keeps the two in step). */
export const CLIENT_OPTION_NAMES = [
  "auth",
  "sessionId",
  "instanceUrl",
  "instance",
  "apiVersion",
  "clientId",
  "fetch",
  "transport",
  "proxy",
  "ca",
  "timeout",
  "totalTimeout",
  "retry",
  "logger",
  "headers",
] as const satisfies ReadonlyArray<keyof ClientOptions>;

/**
 * The values of `responseType`: anything else is refused before the request is sent. A record
 * rather than a list so that the compiler fails here when `ResponseType` gains a member.
 */
const RESPONSE_TYPES = {
  auto: true,
  json: true,
  text: true,
  buffer: true,
  stream: true,
} as const satisfies Record<ResponseType, true>;

/** Every RequestOptions key, for the misspelling check of `request()`. */
export const REQUEST_OPTION_NAMES = [
  "method",
  "path",
  "query",
  "body",
  "headers",
  "responseType",
  "auth",
  "signal",
  "timeout",
  "idempotent",
  "context",
] as const satisfies ReadonlyArray<keyof RequestOptions>;
const REQUEST_OPTIONS = new Set<string>(REQUEST_OPTION_NAMES);

/** `request({ path, timout: 5 })` fails on the typo instead of ignoring it; known keys cost one lookup each. */
function checkRequestOptionNames(input: RequestOptions): void {
  for (const key in input) {
    if (REQUEST_OPTIONS.has(key)) continue;
    checkOptionNames(input, REQUEST_OPTION_NAMES, "request()", {
      params: "query",
      data: "body",
      json: "body",
    });
    return;
  }
}

export function createClient(options: ClientOptions = {}): Client {
  checkOptionNames(options, CLIENT_OPTION_NAMES, "createClient()", {
    session_id: "sessionId",
    instance_url: "instanceUrl",
  });
  const apiVersion = normalizeApiVersion(options.apiVersion);
  const log = resolveLogger(options.logger);
  const strategy = resolveAuth(options);
  const fixedInstance = options.instanceUrl ?? options.instance;
  let knownInstance = fixedInstance ? normalizeInstanceUrl(fixedInstance) : undefined;
  const retry = resolveRetry(options.retry);
  const timeout = options.timeout ?? 120_000;
  const totalTimeout = options.totalTimeout ?? 300_000;
  checkMilliseconds("timeout", timeout);
  checkMilliseconds("totalTimeout", totalTimeout);
  checkCa(options.ca);
  const transport = (
    options.transport ?? (options.fetch ? fetchTransport(options.fetch) : nodeFetchTransport)
  )({
    proxyFor: proxySelector(options.proxy),
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const hook = createHookCollection();
  const userAgent = `sfkit/${VERSION} (node ${process.version})`;
  // The last Sforce-Limit-Info header seen, parsed only when someone reads apiUsage: most
  // programs never do, and parsing it on every response cost a few µs per request.
  let limitInfo: string | undefined;
  let parsedLimitInfo: { header: string; usage: ApiUsage | undefined } | undefined;
  /**
   * The session in use, and its value once it has resolved: a request then takes it without an
   * await (a promise turn). Replacing or dropping it drops the value too, so no given-up session
   * (a secret) stays in memory.
   */
  let current: { promise: Promise<Session>; value?: Session } | undefined;
  let refreshing: Promise<Session> | undefined;

  const noteResponse = (headers: Record<string, string>) => {
    const header = headers["sforce-limit-info"];
    if (header !== undefined && READABLE_LIMIT_INFO.test(header)) limitInfo = header;
  };
  const sendSettings = { retry, totalTimeout, log, noteResponse };

  // The headers every request starts from, worked out once rather than per request.
  const baseHeaders: Record<string, string> = { "user-agent": userAgent, "accept-encoding": "gzip" };
  for (const [key, value] of Object.entries(options.headers ?? {})) baseHeaders[key.toLowerCase()] = value;
  if (options.clientId) baseHeaders["sforce-call-options"] = `client=${options.clientId}`;

  const authContext: AuthContext = {
    apiVersion,
    clientId: options.clientId,
    log,
    async send(request) {
      const headers: Record<string, string> = {
        "user-agent": userAgent,
        "accept-encoding": "gzip",
        ...request.headers,
      };
      try {
        return await sendWithRetry(
          transport,
          {
            method: request.method,
            url: request.url,
            headers,
            body: request.body,
            responseType: request.responseType ?? "auto",
            auth: "none",
            idempotent: request.method === "GET",
            signal: undefined,
            timeout,
            context: {},
            path: request.url,
            query: undefined,
          },
          headers,
          sendSettings,
        );
      } catch (error) {
        // Auth endpoints report failures in their bodies; hand them back for the strategy to read.
        // A connection that broke mid-body or timed out is not an answer: it stays a network error.
        if (
          error instanceof SalesforceError &&
          error.status > 0 &&
          !(error instanceof SalesforceConnectionError) &&
          !(error instanceof SalesforceTimeoutError)
        ) {
          return { status: error.status, headers: {}, url: redactUrl(request.url), data: error.content };
        }
        throw error;
      }
    },
  };

  const requireStrategy = (): AuthStrategy => {
    if (strategy) return strategy;
    throw new ConfigurationError(
      "This client has no credentials: pass `auth` (e.g. soapLogin(...) or passwordGrant(...)) or `instanceUrl` with `sessionId` to createClient.",
    );
  };

  /** Removes the strategy's secrets from an error it threw (message, stack, excerpt, causes). */
  const scrub = (error: unknown, depth = 0): unknown => {
    const secrets = strategy?.secrets?.() ?? [];
    if (!(error instanceof Error) || secrets.length === 0 || depth > 3) return error;
    for (const key of ["message", "stack", "excerpt"] as const) {
      const value = (error as unknown as Record<string, unknown>)[key];
      if (typeof value !== "string") continue;
      const clean = redactSecrets(value, secrets);
      if (clean !== value)
        Object.defineProperty(error, key, { value: clean, writable: true, configurable: true });
    }
    scrub(error.cause, depth + 1);
    return error;
  };

  const session = (): Promise<Session> => {
    if (!current) {
      const login = requireStrategy()
        .login(authContext)
        .then(
          (s) => {
            knownInstance = normalizeInstanceUrl(s.instanceUrl);
            const entry = current;
            if (entry?.promise === login) entry.value = s;
            return s;
          },
          (error: unknown) => {
            throw scrub(error);
          },
        );
      current = { promise: login };
      login.catch(() => {
        if (current?.promise === login) current = undefined;
      });
    }
    return current.promise;
  };

  /** One refresh for all requests that saw the same session expire. */
  const refresh = async (expired: Session): Promise<Session> => {
    const active = requireStrategy();
    const latest = await current?.promise.catch(() => undefined);
    if (latest && latest !== expired) return latest;
    if (!active.refresh) return Promise.reject(undefined);
    if (!refreshing) {
      const attempt = active
        .refresh(authContext, expired)
        .then((s) => {
          knownInstance = normalizeInstanceUrl(s.instanceUrl);
          current = { promise: Promise.resolve(s), value: s };
          return s;
        })
        .catch((error: unknown) => {
          current = undefined;
          throw scrub(
            error instanceof SalesforceError
              ? error
              : new SalesforceAuthenticationFailed(
                  `Refreshing the ${active.kind} session failed: ${String((error as Error)?.message ?? error)}`,
                  { cause: error },
                ),
          );
        })
        .finally(() => {
          refreshing = undefined;
        });
      refreshing = attempt;
    }
    return refreshing;
  };

  // Not async: its callers await it inside async functions, so a throw here still rejects
  // their promise, and a request passes one promise fewer.
  const sendOnce = (prepared: PreparedRequest, active: Session | undefined): Promise<SalesforceResponse> => {
    const instance = active ? normalizeInstanceUrl(active.instanceUrl) : knownInstance;
    if (!instance && !/^https?:\/\//i.test(prepared.path)) {
      throw new ConfigurationError(
        `Cannot call ${prepared.path}: no instance URL is known yet. Give instanceUrl or an auth strategy.`,
      );
    }
    prepared.url = buildUrl(instance ?? "", apiVersion, prepared.path, prepared.query);
    // The credential goes on a copy: hooks keep a `prepared` without it.
    let headers = prepared.headers;
    if (active && prepared.auth === "bearer")
      headers = { ...headers, authorization: `Bearer ${active.accessToken}` };
    else if (active && prepared.auth === "sfdc-session")
      headers = { ...headers, "x-sfdc-session": active.accessToken };
    return sendWithRetry(transport, prepared, headers, sendSettings);
  };

  const sendWithAuth = async (prepared: PreparedRequest): Promise<SalesforceResponse> => {
    if (prepared.auth === "none") return await sendOnce(prepared, undefined);
    const active = current?.value ?? (await session());
    try {
      return await sendOnce(prepared, active);
    } catch (error) {
      if (!(error instanceof SalesforceExpiredSession) || !strategy?.refresh) throw error;
      if (!refreshCanHelp(error)) throw error; // a barred session: a new one would be barred too
      if (!replayable(prepared.body)) throw error; // a stream body is spent: it cannot be replayed
      log.info(`session expired; refreshing the ${strategy.kind} session once`);
      const renewed = await refresh(active);
      return await sendOnce(prepared, renewed);
    }
  };

  const request = async <T>(input: RequestOptions): Promise<SalesforceResponse<T>> => {
    if (!input || typeof input.path !== "string" || !input.path) {
      throw new ConfigurationError(
        'request() needs a path, e.g. { path: "sobjects/Account" } or { path: "/services/apexrest/x" }.',
      );
    }
    checkRequestOptionNames(input);
    const method = (input.method ?? "GET").toUpperCase() as HttpMethod;
    if (input.timeout !== undefined)
      checkMilliseconds("timeout", input.timeout, `${method} ${redactUrl(input.path)}`);
    if (input.responseType !== undefined && !Object.hasOwn(RESPONSE_TYPES, input.responseType)) {
      throw new ConfigurationError(
        `responseType must be one of ${Object.keys(RESPONSE_TYPES)
          .map((type) => `"${type}"`)
          .join(", ")}, not ${JSON.stringify(input.responseType)} (${method} ${redactUrl(input.path)}).`,
      );
    }
    if (input.signal != null && typeof input.signal.addEventListener !== "function") {
      throw new ConfigurationError(
        `signal must be an AbortSignal (new AbortController().signal or AbortSignal.timeout(ms)) (${method} ${redactUrl(input.path)}).`,
      );
    }
    const headers: Record<string, string> = { ...baseHeaders };
    const given = input.headers;
    if (given) {
      for (const key in given) {
        const value = given[key];
        if (value !== undefined) headers[key.toLowerCase()] = value;
      }
    }
    if ((method === "GET" || method === "HEAD") && input.body !== undefined && input.body !== null) {
      // fetch refuses to send it, and Salesforce's edge would answer 411 (F20's kind).
      throw new ConfigurationError(
        `a ${method} request carries no body: put the values in query: { ... }, or use POST (path ${redactUrl(input.path)}).`,
      );
    }
    const body = prepareBody(input.body, headers);
    const prepared: PreparedRequest = {
      method,
      url: input.path,
      path: input.path,
      query: input.query,
      headers,
      body,
      responseType: input.responseType ?? "auto",
      auth: input.auth ?? "bearer",
      idempotent: input.idempotent ?? ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].includes(method),
      signal: input.signal,
      timeout: input.timeout ?? timeout,
      context: input.context ?? {},
    };
    return (await hook.run("request", sendWithAuth, prepared)) as SalesforceResponse<T>;
  };

  const base: ClientBase = {
    apiVersion,
    get instanceUrl() {
      return knownInstance;
    },
    get apiUsage() {
      if (limitInfo === undefined) return undefined;
      if (parsedLimitInfo?.header !== limitInfo) {
        // a garbled header keeps the last usage that could be read
        parsedLimitInfo = { header: limitInfo, usage: parseLimitInfo(limitInfo) ?? parsedLimitInfo?.usage };
      }
      return parsedLimitInfo.usage;
    },
    clientId: options.clientId,
    plugins: [],
    request,
    async url(path, query) {
      const instance = strategy ? normalizeInstanceUrl((await session()).instanceUrl) : (knownInstance ?? "");
      return buildUrl(instance, apiVersion, path, query);
    },
    session,
    async logout() {
      const active = await current?.promise.catch(() => undefined);
      current = undefined;
      if (active && strategy?.logout) await strategy.logout(authContext, active);
    },
    async close() {
      await transport.close?.();
    },
    hook,
    log,
  };
  return withExtend(base, {}, []) as Client;
}

function withExtend(base: ClientBase, extensions: Record<string, unknown>, plugins: string[]): Client<any> {
  const client: Record<string | symbol, unknown> = {};
  for (const key of Object.keys(base)) {
    const descriptor = Object.getOwnPropertyDescriptor(base, key)!;
    Object.defineProperty(client, key, { ...descriptor, enumerable: true });
  }
  Object.defineProperty(client, "plugins", { value: Object.freeze([...plugins]), enumerable: true });
  Object.assign(client, extensions);
  client.extend = (
    plugin: ((c: unknown) => Record<string, unknown> | undefined) & { pluginName?: string },
  ) => {
    if (typeof plugin !== "function") {
      throw new ConfigurationError("extend() takes a plugin function, e.g. client.extend(rest()).");
    }
    const name = plugin.pluginName ?? plugin.name ?? "anonymous";
    if (plugin.pluginName && plugins.includes(plugin.pluginName)) return client;
    const added = plugin(client) ?? {};
    for (const key of Object.keys(added)) {
      if (key in client) {
        throw new ConfigurationError(
          `Plugin ${name} adds "${key}", which the client already has; two plugins cannot own the same key.`,
        );
      }
    }
    return withExtend(base, { ...extensions, ...added }, [...plugins, name]);
  };
  const describe = () =>
    `SalesforceClient { apiVersion: '${base.apiVersion}', instanceUrl: ${base.instanceUrl ? `'${base.instanceUrl}'` : "undefined"}, plugins: [${plugins.join(", ")}] }`;
  Object.defineProperty(client, inspect.custom, { value: describe, enumerable: false });
  Object.defineProperty(client, "toString", { value: describe, enumerable: false });
  Object.defineProperty(client, "toJSON", {
    value: () => ({ apiVersion: base.apiVersion, instanceUrl: base.instanceUrl, plugins }),
    enumerable: false,
  });
  return client as unknown as Client<any>;
}
