import type { Client, HttpMethod, RequestOptions, SalesforceResponse } from "@sfkit/core";
import { ConfigurationError, checkOptionNames } from "@sfkit/core";
import { apexBody } from "./body.js";
import { decodeApexBody } from "./decode.js";
import { apexPath } from "./path.js";
import type {
  ApexApi,
  ApexBody,
  ApexCallOptions,
  ApexExecuteOptions,
  ApexKeys,
  ApexOptions,
  ApexPath,
  ApexRequestOptions,
} from "./types.js";

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);
const RESPONSE_TYPES = new Set(["auto", "json", "text", "buffer", "stream"]);

function resolveMethod(method: string | undefined): HttpMethod {
  const upper = (method ?? "GET").toUpperCase();
  if (!METHODS.has(upper)) {
    throw new ConfigurationError(
      `Apex REST has no ${JSON.stringify(method)} method; use GET, POST, PUT, PATCH, DELETE or HEAD.`,
    );
  }
  return upper as HttpMethod;
}

/** What an Apex call's options object may hold (`query` is the older name of `params`). */
const APEX_CALL_OPTIONS = [
  "path",
  "method",
  "data",
  "params",
  "query",
  "headers",
  "responseType",
  "signal",
  "timeout",
  "idempotent",
];

/**
 * The Apex REST plugin: `sf.apexecute(action, { method, data, params, headers })` and
 * `sf.apex.get/post/put/patch/delete(path, body?, options?)`, all calling
 * `/services/apexrest/<path>` with the client's session.
 */
export function apex(options: ApexOptions = {}) {
  checkOptionNames(options, ["namespace"], "apex()");
  const namespace = options.namespace?.replace(/^\/+|\/+$/g, "");
  if (options.namespace !== undefined && !namespace) {
    throw new ConfigurationError(
      'apex({ namespace }) needs a non-empty namespace, e.g. apex({ namespace: "acme" }).',
    );
  }

  const plugin = (client: Client): ApexKeys => {
    const send = async <T>(input: ApexRequestOptions): Promise<SalesforceResponse<T>> => {
      if (!input || typeof input !== "object") {
        throw new ConfigurationError('Apex calls take an options object, e.g. { method: "POST", data }.');
      }
      checkOptionNames(input, APEX_CALL_OPTIONS, "An Apex call", {
        body: "data",
        qs: "params",
        timeoutMs: "timeout",
      });
      const method = resolveMethod(input.method);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(input.headers ?? {})) {
        if (value !== undefined) headers[key.toLowerCase()] = value;
      }
      const body = apexBody(input.data, headers, method);
      const wanted = input.responseType ?? "auto";
      if (!RESPONSE_TYPES.has(wanted)) {
        throw new ConfigurationError(
          `responseType ${JSON.stringify(wanted)} is not one of "auto", "json", "text", "buffer", "stream".`,
        );
      }
      const legacyQuery = (input as { query?: RequestOptions["query"] }).query;
      const request: RequestOptions = {
        method,
        path: apexPath(input.path, namespace),
        headers,
        responseType: wanted === "auto" ? "buffer" : wanted,
      };
      if (input.params ?? legacyQuery) request.query = { ...legacyQuery, ...input.params };
      if (body !== undefined) request.body = body;
      if (input.signal) request.signal = input.signal;
      if (input.timeout !== undefined) request.timeout = input.timeout;
      if (input.idempotent !== undefined) request.idempotent = input.idempotent;
      request.context = { apex: true };
      const response = await client.request<unknown>(request);
      if (wanted !== "auto") return response as SalesforceResponse<T>;
      return {
        ...response,
        data: decodeApexBody(response.data as Buffer, response.status, response.headers["content-type"]) as T,
      };
    };

    const call = async <T>(path: ApexPath, input: ApexExecuteOptions): Promise<T> =>
      (await send<T>({ ...input, path })).data;

    /** get/delete take (path, options); a jsforce-style (path, body, options) call is read too. */
    const withoutBody =
      (method: "GET" | "DELETE") =>
      <T>(path: ApexPath, ...rest: [ApexCallOptions?] | [ApexBody, ApexCallOptions?]): Promise<T> => {
        if (rest.length >= 2) {
          const [data, callOptions] = rest as [ApexBody, ApexCallOptions?];
          return call<T>(path, { ...callOptions, method, data });
        }
        return call<T>(path, { ...(rest[0] as ApexCallOptions | undefined), method });
      };
    const withBody =
      (method: "POST" | "PUT" | "PATCH") =>
      <T>(path: ApexPath, data?: ApexBody, callOptions?: ApexCallOptions): Promise<T> =>
        call<T>(path, { ...callOptions, method, data });

    const api: ApexApi = {
      get: withoutBody("GET"),
      post: withBody("POST"),
      put: withBody("PUT"),
      patch: withBody("PATCH"),
      delete: withoutBody("DELETE"),
      request: send,
      url: (path, params) => client.url(apexPath(path, namespace), params),
    };
    const apexecute = <T>(
      action: ApexPath,
      input: ApexExecuteOptions | string = {},
      data?: ApexBody,
      callOptions?: ApexCallOptions,
    ): Promise<T> =>
      typeof input === "string"
        ? call<T>(action, { ...callOptions, method: input as ApexExecuteOptions["method"], data })
        : call<T>(action, input ?? {});
    return { apexecute: apexecute as ApexKeys["apexecute"], apex: api };
  };
  return Object.assign(plugin, { pluginName: "apex" as const });
}
