import { inspect } from "node:util";
import { type ApexKeys, apex } from "@sfkit/apex";
import { type BulkKeys, bulk } from "@sfkit/bulk";
import {
  type AuthStrategy,
  type Client,
  type ClientOptions,
  ConfigurationError,
  type HttpMethod,
  type RequestOptions,
  type Session,
  createClient,
  instanceHost,
  normalizeApiVersion,
  normalizeInstanceUrl,
} from "@sfkit/core";
import {
  type RestApi,
  type SObjectApi,
  type SObjectRecord,
  type StandardSObjectName,
  rest,
} from "@sfkit/rest";
import type { AuthType, SalesforceOptions } from "./options.js";
import { checkSalesforceOptionNames } from "./option-names.js";
import { selectAuth } from "./select-auth.js";

/** Record types by sObject name, to type `sf.Broker__c`: `new Salesforce<{ Broker__c: Broker }>(...)`. */
export type SObjectSchema = Record<string, object>;

/** The keys of the plugins the preset composes. */
export type PresetKeys<Schema extends SObjectSchema = {}> = RestApi<Schema> & BulkKeys & ApexKeys;

/** Options of `sf.oauth2()`. */
export interface OAuth2CallOptions {
  method?: HttpMethod | Lowercase<HttpMethod>;
  params?: RequestOptions["query"];
  body?: RequestOptions["body"];
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

type Upper =
  | "A"
  | "B"
  | "C"
  | "D"
  | "E"
  | "F"
  | "G"
  | "H"
  | "I"
  | "J"
  | "K"
  | "L"
  | "M"
  | "N"
  | "O"
  | "P"
  | "Q"
  | "R"
  | "S"
  | "T"
  | "U"
  | "V"
  | "W"
  | "X"
  | "Y"
  | "Z";

/**
 * `sf.Contact`, `sf.Broker__c`: any capitalised (or custom `__x`) name is an sObject. Names in
 * `Schema` get their record type; the standard objects are always defined (also under
 * `noUncheckedIndexedAccess`).
 */
export type SObjectSugar<Schema extends SObjectSchema = {}> = {
  readonly [K in keyof Schema]: SObjectApi<Schema[K]>;
} & { readonly [K in Exclude<StandardSObjectName, keyof Schema>]: SObjectApi<SObjectRecord> } & {
  readonly [K in `${Upper}${string}`]: SObjectApi;
} & { readonly [K in `${string}__${string}`]: SObjectApi };

/** What the preset adds beyond the plugins: simple-salesforce's attributes and a few helpers. */
export interface SalesforceMembers<Extra extends object = {}, Schema extends SObjectSchema = {}> {
  /** The session id once logged in (not enumerable; never printed). */
  readonly sessionId: string | undefined;
  /** The instance host with its port when not the default ("acme.my.salesforce.com"). */
  readonly sfInstance: string | undefined;
  /** The API version, e.g. "62.0". */
  readonly sfVersion: string;
  /** `https://<instance>/services/data/vNN.0/` */
  readonly baseUrl: string | undefined;
  /** `https://<instance>/services/apexrest/` */
  readonly apexUrl: string | undefined;
  /** `https://<instance>/services/async/NN.0/` (Bulk API 1.0) */
  readonly bulkUrl: string | undefined;
  /** `https://<instance>/services/data/vNN.0/jobs/` (Bulk API 2.0) */
  readonly bulk2Url: string | undefined;
  /** `https://<instance>/services/data/vNN.0/tooling/` */
  readonly toolingUrl: string | undefined;
  /** `https://<instance>/services/Soap/m/NN.0/` */
  readonly metadataUrl: string | undefined;
  /** `https://<instance>/services/oauth2/` */
  readonly oauth2Url: string | undefined;
  /** Which login flow the options selected. */
  readonly authType: AuthType;
  /** Logs in now (otherwise the first call does); afterwards sessionId and the URLs are set. */
  login(): Promise<void>;
  /**
   * Calls `/services/oauth2/<path>` on the instance (userinfo, revoke, introspect...).
   * Returns the JSON body, or null when the response is not JSON or empty.
   */
  oauth2<T = unknown>(path: string, options?: OAuth2CallOptions): Promise<T | null>;
  /** Adds a plugin; the result is a Salesforce with the plugin's keys too. */
  extend<X extends object>(
    plugin: ((client: Client<PresetKeys<Schema> & Extra>) => X) & { pluginName?: string },
  ): Salesforce<Extra & X, Schema>;
}

/** The preset: the core client with rest(), bulk() and apex(), simple-salesforce's attributes and `sf.Contact`. */
export type Salesforce<Extra extends object = {}, Schema extends SObjectSchema = {}> = Omit<
  Client<PresetKeys<Schema> & Extra>,
  "extend"
> &
  SalesforceMembers<Extra, Schema> &
  SObjectSugar<Schema>;

export interface SalesforceConstructor {
  /**
   * Builds the client; nothing is sent until the first call (or `await sf.login()`).
   * Bad or incomplete options throw ConfigurationError here.
   */
  new <Schema extends SObjectSchema = {}>(options: SalesforceOptions): Salesforce<{}, Schema>;
  /** Builds the client and logs in: `const sf = await Salesforce.connect({...})`. */
  connect<Schema extends SObjectSchema = {}>(options: SalesforceOptions): Promise<Salesforce<{}, Schema>>;
  readonly prototype: Salesforce;
}

/** Property names that are never sObjects, so that await, JSON, inspection and test matchers behave. */
const NOT_SOBJECTS = new Set(["then", "catch", "finally", "constructor", "prototype", "$$typeof"]);
const SUGAR = /^(?:[A-Z][A-Za-z0-9_]*|[A-Za-z][A-Za-z0-9_]*__[A-Za-z0-9]+)$/;

interface State {
  type: AuthType;
  session: Session | undefined;
  instanceUrl: string | undefined;
}

/** Records each session the strategy hands out, so the seed's attributes can be read synchronously. */
function observed(strategy: AuthStrategy, state: State): AuthStrategy {
  const keep = (session: Session) => {
    state.session = session;
    state.instanceUrl = normalizeInstanceUrl(session.instanceUrl);
    return session;
  };
  const wrapped: AuthStrategy = {
    ...strategy,
    login: (ctx) => strategy.login(ctx).then(keep),
    ...(strategy.refresh ? { refresh: (ctx, expired) => strategy.refresh!(ctx, expired).then(keep) } : {}),
    ...(strategy.logout
      ? {
          logout: async (ctx, session) => {
            await strategy.logout!(ctx, session);
            if (state.session === session) state.session = undefined;
          },
        }
      : {}),
    ...(strategy.secrets ? { secrets: () => strategy.secrets!() } : {}),
  };
  Object.defineProperty(wrapped, inspect.custom, { value: () => inspect(strategy), enumerable: false });
  return wrapped;
}

function clientOptions(options: SalesforceOptions, auth: AuthStrategy): ClientOptions {
  if (options.version !== undefined && options.apiVersion !== undefined) {
    if (normalizeApiVersion(options.version) !== normalizeApiVersion(options.apiVersion)) {
      throw new ConfigurationError("version and apiVersion are the same option with two names: give one.");
    }
  }
  const version = options.version ?? options.apiVersion;
  let proxy = options.proxy;
  if (options.proxies !== undefined) {
    const fromProxies = options.proxies.https ?? options.proxies.http;
    if (options.fetch || options.transport) {
      options.logger?.warn?.(
        "proxies is ignored because a custom fetch or transport was given: configure the proxy on that transport.",
      );
    } else if (proxy !== undefined && fromProxies !== undefined) {
      throw new ConfigurationError("Give proxy or proxies, not both.");
    } else if (fromProxies !== undefined) {
      // As requests does for simple-salesforce: hosts in NO_PROXY still go direct (F21).
      const noProxy = process.env.NO_PROXY ?? process.env.no_proxy;
      proxy = noProxy ? { url: fromProxies, noProxy } : fromProxies;
    }
  }
  return {
    auth,
    ...(version !== undefined ? { apiVersion: version } : {}),
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    ...(proxy !== undefined ? { proxy } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    ...(options.totalTimeout !== undefined ? { totalTimeout: options.totalTimeout } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

function url(state: State, suffix: string): string | undefined {
  return state.instanceUrl ? `${state.instanceUrl}${suffix}` : undefined;
}

/** Wraps a composed client into the preset object (a Proxy that adds `sf.Contact`). */
function present<Extra extends object, Schema extends SObjectSchema>(
  client: Client<PresetKeys<Schema> & Extra>,
  state: State,
): Salesforce<Extra, Schema> {
  const target = Object.create(SalesforceImpl.prototype) as Record<string | symbol, unknown>;
  for (const key of Object.keys(client)) {
    if (key === "extend") continue;
    Object.defineProperty(target, key, {
      ...Object.getOwnPropertyDescriptor(client, key)!,
      enumerable: true,
    });
  }
  const version = client.apiVersion;
  const members: Record<string, () => unknown> = {
    sfInstance: () => (state.instanceUrl ? instanceHost(state.instanceUrl) : undefined),
    sfVersion: () => version,
    baseUrl: () => url(state, `/services/data/v${version}/`),
    apexUrl: () => url(state, "/services/apexrest/"),
    bulkUrl: () => url(state, `/services/async/${version}/`),
    bulk2Url: () => url(state, `/services/data/v${version}/jobs/`),
    toolingUrl: () => url(state, `/services/data/v${version}/tooling/`),
    metadataUrl: () => url(state, `/services/Soap/m/${version}/`),
    oauth2Url: () => url(state, "/services/oauth2/"),
    authType: () => state.type,
  };
  for (const [key, get] of Object.entries(members)) {
    Object.defineProperty(target, key, { get, enumerable: true });
  }
  // The session id: readable, but not enumerable, so it stays out of JSON, spreads and logs.
  Object.defineProperty(target, "sessionId", { get: () => state.session?.accessToken, enumerable: false });
  Object.defineProperty(target, "login", {
    value: async () => {
      await client.session();
    },
    enumerable: true,
  });
  Object.defineProperty(target, "oauth2", {
    value: async (path: string, options: OAuth2CallOptions = {}) => {
      if (typeof path !== "string" || !path) {
        throw new ConfigurationError('oauth2() needs a path under /services/oauth2/, e.g. "userinfo".');
      }
      const response = await client.request({
        method: options.method ?? "GET",
        path: `/services/oauth2/${path.replace(/^\/+/, "")}`,
        query: options.params,
        body: options.body,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        responseType: "auto",
      });
      const type = response.headers["content-type"] ?? "";
      return /json/i.test(type) && response.data !== "" ? (response.data ?? null) : null;
    },
    enumerable: true,
  });
  Object.defineProperty(target, "extend", {
    value: (plugin: Parameters<Client<PresetKeys<Schema> & Extra>["extend"]>[0]) =>
      present(client.extend(plugin as never) as never, state),
    enumerable: true,
  });
  const describe = () =>
    `Salesforce { authType: '${state.type}', apiVersion: '${version}', instanceUrl: ${
      state.instanceUrl ? `'${state.instanceUrl}'` : "undefined"
    }, plugins: [${client.plugins.join(", ")}] }`;
  Object.defineProperty(target, inspect.custom, { value: describe, enumerable: false });
  Object.defineProperty(target, "toString", { value: describe, enumerable: false });
  Object.defineProperty(target, "toJSON", {
    value: () => ({
      authType: state.type,
      apiVersion: version,
      instanceUrl: state.instanceUrl,
      plugins: client.plugins,
    }),
    enumerable: false,
  });
  const sobjects = (client as unknown as PresetKeys).sobjects;
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property !== "string" || property in object || NOT_SOBJECTS.has(property)) {
        return Reflect.get(object, property, receiver);
      }
      return SUGAR.test(property) ? sobjects[property] : undefined;
    },
    has(object, property) {
      return (
        property in object ||
        (typeof property === "string" && !NOT_SOBJECTS.has(property) && SUGAR.test(property))
      );
    },
    set(_object, property) {
      throw new ConfigurationError(
        `Salesforce objects are read-only: cannot set ${String(property)}. Use extend() to add capabilities.`,
      );
    },
  }) as unknown as Salesforce<Extra, Schema>;
}

class SalesforceImpl {
  constructor(options: SalesforceOptions) {
    if (!options || typeof options !== "object") {
      throw new ConfigurationError(
        "new Salesforce() takes an options object, e.g. new Salesforce({ username, password, securityToken }).",
      );
    }
    checkSalesforceOptionNames(options);
    const selected = selectAuth(options);
    const state: State = {
      type: selected.type,
      session: selected.session,
      instanceUrl: selected.instanceUrl,
    };
    const client = createClient(clientOptions(options, observed(selected.strategy, state)))
      .extend(rest(options.rest))
      .extend(bulk(options.bulk))
      .extend(apex(options.apex));
    // biome-ignore lint/correctness/noConstructorReturn: the preset is a Proxy over the composed client
    return present(client, state) as unknown as SalesforceImpl;
  }

  static async connect(options: SalesforceOptions): Promise<Salesforce> {
    const sf = new SalesforceImpl(options) as unknown as Salesforce;
    try {
      await sf.login();
    } catch (error) {
      await sf.close().catch(() => {});
      throw error;
    }
    return sf;
  }
}

/** `new Salesforce({...})`: see SalesforceOptions for the constructor forms. */
export const Salesforce = SalesforceImpl as unknown as SalesforceConstructor;
