// A small router: method + path pattern → handler(ctx). Patterns are `/`-separated; `:name`
// matches one segment, `:name*` the rest of the path. Literal segments match case-insensitively
// (Salesforce treats object and resource names that way); the most specific match wins.
import type { RequestContext } from "./context.js";

export type Handler = (ctx: RequestContext) => void | Promise<void>;

export interface RouteOptions {
  /**
   * `session` (default): the request needs a valid session (Authorization: Bearer/OAuth,
   * or X-SFDC-Session); `none`: no authentication.
   */
  auth?: "session" | "none";
  /** Count the call in API usage and send `Sforce-Limit-Info` (default: true with auth). */
  apiUsage?: boolean;
  /** Answer an authentication failure yourself (Bulk 1.0 answers 400 InvalidSessionId XML). */
  onAuthFailure?: (ctx: RequestContext) => void;
  /** Leave the request body unread for the handler (`ctx.req`): large uploads (Bulk 2.0 data). */
  streamBody?: boolean;
}

interface Segment {
  kind: "literal" | "param" | "rest";
  value: string;
}

export interface Route {
  methods: string[];
  pattern: string;
  segments: Segment[];
  handler: Handler;
  options: RouteOptions;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** A feature module registers its routes on the router. */
export type RouteModule = (router: Router) => void;

function splitPath(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

export class Router {
  readonly routes: Route[] = [];

  add(methods: string | string[], pattern: string, handler: Handler, options: RouteOptions = {}): this {
    const segments: Segment[] = splitPath(pattern).map((s) =>
      s.startsWith(":") && s.endsWith("*")
        ? { kind: "rest", value: s.slice(1, -1) }
        : s.startsWith(":")
          ? { kind: "param", value: s.slice(1) }
          : { kind: "literal", value: s.toLowerCase() },
    );
    const list = (Array.isArray(methods) ? methods : [methods]).map((m) => m.toUpperCase());
    this.routes.push({ methods: list, pattern, segments, handler, options });
    return this;
  }

  get(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add(["GET", "HEAD"], pattern, handler, options);
  }
  post(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add("POST", pattern, handler, options);
  }
  patch(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add("PATCH", pattern, handler, options);
  }
  put(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add("PUT", pattern, handler, options);
  }
  delete(pattern: string, handler: Handler, options?: RouteOptions): this {
    return this.add("DELETE", pattern, handler, options);
  }

  /** The best route for method + path; `allowed` lists the methods of routes matching the path only. */
  match(method: string, path: string): { match?: RouteMatch; allowed: string[] } {
    const parts = splitPath(path);
    let best: { m: RouteMatch; score: number[] } | undefined;
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (!route.methods.includes(method.toUpperCase())) {
        for (const m of route.methods) allowed.add(m);
        continue;
      }
      const score = route.segments.map((s) => (s.kind === "literal" ? 3 : s.kind === "param" ? 2 : 1));
      if (!best || compareScore(score, best.score) > 0) best = { m: { route, params }, score };
    }
    return { match: best?.m, allowed: [...allowed] };
  }
}

function compareScore(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind === "rest") {
      params[s.value] = parts.slice(i).join("/");
      return params;
    }
    const p = parts[i];
    if (p === undefined) return undefined;
    if (s.kind === "literal") {
      if (p.toLowerCase() !== s.value) return undefined;
    } else {
      try {
        params[s.value] = decodeURIComponent(p);
      } catch {
        params[s.value] = p;
      }
    }
  }
  return parts.length === segments.length ? params : undefined;
}
