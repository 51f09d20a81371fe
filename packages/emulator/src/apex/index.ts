// Apex REST (`/services/apexrest/*`): tests register handlers with `org.apex.route(...)`, the
// way an org deploys `@RestResource(urlMapping=...)` classes. The matching rules and the
// answers live in apex-routes.ts and url-mapping.ts; this file mounts them on the server.
import type { RequestContext } from "../context.js";
import { MAINTENANCE_HTML } from "../faults.js";
import type { Org } from "../org.js";
import type { Router } from "../router.js";
import {
  type ApexHandler as BaseApexHandler,
  type ApexRecordedRequest,
  type ApexRequest as BaseApexRequest,
  type ApexResponse,
  type ApexRoutes,
  createApexRoutes,
} from "./apex-routes.js";

/** What the server adds to each request a handler sees. */
export interface ApexRequestExtras {
  /** The query string (also flattened in `params`). */
  query: URLSearchParams;
  /** The Id of the user whose session made the call. */
  userId: string | undefined;
  /** The emulated org: its record store, schema and users, for handlers that act on data. */
  org: Org;
}

/** What an Apex handler receives: `{ method, path, mapping, params, pathParams, wildcard, headers, body, rawBody, ... }`. */
export type ApexRequest = BaseApexRequest & ApexRequestExtras;
export type ApexHandler = BaseApexHandler<ApexRequestExtras>;
export type { ApexResponse, ApexRecordedRequest };

/** `org.apex`. */
export interface ApexRegistry extends ApexRoutes<ApexRequestExtras> {
  /** Answers a request on /services/apexrest/... (used by the route below). */
  dispatch(ctx: RequestContext): Promise<void>;
}

const APEX_PREFIX = /^\/services\/apexrest(?=\/|$)/i;

export function createApex(org: Org): ApexRegistry {
  const routes = createApexRoutes<ApexRequestExtras>();
  return {
    route: routes.route,
    clear: routes.clear,
    get routes() {
      return routes.routes;
    },
    get requests() {
      return routes.requests;
    },
    async dispatch(ctx) {
      if (edgeRefuses(ctx)) {
        return ctx.send(411, MAINTENANCE_HTML, { "Content-Type": "text/html;charset=UTF-8" });
      }
      const path = ctx.url.pathname.replace(APEX_PREFIX, "") || "/";
      const out = await routes.dispatch(
        { method: ctx.method, path, query: ctx.query, headers: ctx.headers, body: ctx.body },
        { query: ctx.query, userId: ctx.session?.userId, org },
      );
      ctx.send(out.status, out.body, out.headers);
    },
  };
}

/**
 * Salesforce's edge answers a GET or HEAD that carries a body (a client that JSON-encodes
 * missing data sends `null` with Content-Length: 4) with 411 and its HTML maintenance page,
 * before Apex sees it (reference/known-client-faults.md F20 (a)).
 */
function edgeRefuses(ctx: RequestContext): boolean {
  if (ctx.method !== "GET" && ctx.method !== "HEAD") return false;
  const length = ctx.headers["content-length"];
  return (
    ctx.body.length > 0 || (length !== undefined && length !== "0") || "transfer-encoding" in ctx.headers
  );
}

/** Every method on /services/apexrest/..., behind a valid session like every Apex REST call. */
export function apexRoutes(router: Router): void {
  router.add(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], "/services/apexrest/:path*", (ctx) =>
    ctx.org.apex.dispatch(ctx),
  );
}
