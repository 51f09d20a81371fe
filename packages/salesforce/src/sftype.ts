import { inspect } from "node:util";
import {
  type ApiUsage,
  type ClientOptions,
  ConfigurationError,
  createClient,
  instanceHost,
} from "@sfkit/core";
import { type SObjectApi, type SObjectRecord, rest } from "@sfkit/rest";
import type { Proxies } from "./options.js";

/** Options of `new SFType(...)`: the client settings of `new Salesforce()` that apply to one object. */
export interface SFTypeOptions
  extends Pick<
    ClientOptions,
    | "fetch"
    | "transport"
    | "proxy"
    | "ca"
    | "timeout"
    | "totalTimeout"
    | "retry"
    | "logger"
    | "headers"
    | "clientId"
  > {
  /** "64.0", "v64.0" or 64 (simple-salesforce's `sf_version`). */
  version?: string | number;
  apiVersion?: string | number;
  /** simple-salesforce's `proxies`; the https entry wins. */
  proxies?: Proxies;
}

/** The seed's SFType: one sObject's methods over a session, plus its attributes. */
export type SFType<T extends object = SObjectRecord> = SObjectApi<T> & {
  /** The sObject name, e.g. "Contact". */
  readonly name: string;
  /** The session id (not enumerable). */
  readonly sessionId: string;
  /** The instance host ("acme.my.salesforce.com"). */
  readonly sfInstance: string;
  readonly sfVersion: string;
  /** `https://<instance>/services/data/vNN.0/sobjects/<name>/` */
  readonly baseUrl: string;
  /** The last `Sforce-Limit-Info` figures of this object's calls. */
  readonly apiUsage: ApiUsage | undefined;
  /** Closes the pooled connections of this object's client. */
  close(): Promise<void>;
};

export interface SFTypeConstructor {
  /**
   * simple-salesforce's `SFType(object_name, session_id, sf_instance, ...)`. `instance` is a
   * host ("acme.my.salesforce.com") or a URL ("http://127.0.0.1:8080").
   */
  new <T extends object = SObjectRecord>(
    name: string,
    sessionId: string,
    instance: string,
    options?: SFTypeOptions,
  ): SFType<T>;
}

class SFTypeImpl {
  constructor(name: string, sessionId: string, instance: string, options: SFTypeOptions = {}) {
    if (typeof sessionId !== "string" || !sessionId) {
      throw new ConfigurationError("SFType needs a session id: new SFType(name, sessionId, instance).");
    }
    if (typeof instance !== "string" || !instance) {
      throw new ConfigurationError(
        'SFType needs the instance: new SFType(name, sessionId, "acme.my.salesforce.com").',
      );
    }
    const { version, apiVersion, proxies, ...rest_ } = options;
    if (version !== undefined && apiVersion !== undefined && String(version) !== String(apiVersion)) {
      throw new ConfigurationError("version and apiVersion are the same option with two names: give one.");
    }
    const proxy =
      rest_.proxy ?? (rest_.fetch || rest_.transport ? undefined : (proxies?.https ?? proxies?.http));
    const client = createClient({
      ...rest_,
      ...(proxy !== undefined ? { proxy } : {}),
      ...((version ?? apiVersion) !== undefined
        ? { apiVersion: (version ?? apiVersion) as string | number }
        : {}),
      sessionId,
      instanceUrl: instance,
    }).extend(rest());
    const api = client.sobject(name);
    const target = Object.create(SFTypeImpl.prototype) as Record<string | symbol, unknown>;
    for (const key of Object.keys(api)) {
      Object.defineProperty(target, key, { ...Object.getOwnPropertyDescriptor(api, key)!, enumerable: true });
    }
    const instanceUrl = client.instanceUrl as string;
    Object.defineProperty(target, "name", { value: api.name ?? name, enumerable: true });
    Object.defineProperty(target, "sessionId", { value: sessionId, enumerable: false });
    Object.defineProperty(target, "sfInstance", { value: instanceHost(instanceUrl), enumerable: true });
    Object.defineProperty(target, "sfVersion", { value: client.apiVersion, enumerable: true });
    Object.defineProperty(target, "baseUrl", {
      value: `${instanceUrl}/services/data/v${client.apiVersion}/sobjects/${name}/`,
      enumerable: true,
    });
    Object.defineProperty(target, "apiUsage", { get: () => client.apiUsage, enumerable: true });
    Object.defineProperty(target, "close", { value: () => client.close(), enumerable: true });
    Object.defineProperty(target, inspect.custom, {
      value: () =>
        `SFType { name: '${name}', sfInstance: '${instanceHost(instanceUrl)}', sessionId: [redacted] }`,
      enumerable: false,
    });
    // biome-ignore lint/correctness/noConstructorReturn: SFType is the rest() sObject API plus the seed's attributes
    return target as unknown as SFTypeImpl;
  }
}

/** `new SFType("Contact", sessionId, instance)`: one sObject without a Salesforce object. */
export const SFType = SFTypeImpl as unknown as SFTypeConstructor;
