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
  /** Specificity per segment (literal 3, param 2, rest 1): the highest wins, compared left to right. */
  score: number[];
  /** Index of the `:name*` segment, or -1. */
  restIndex: number;
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

const SCORE = { literal: 3, param: 2, rest: 1 } as const;
/** Remembered method + path answers (the table is emptied when full). */
const MAX_RECENT = 1024;

export class Router {
  readonly routes: Route[] = [];
  /**
   * Routes that can match a path of N segments, in registration order (built on first use):
   * every request looks at a handful of routes instead of all of them.
   */
  private readonly byLength = new Map<number, Route[]>();
  /** Recent answers by method and path: clients repeat the same few requests (creates, reads of hot records). */
  private readonly recent = new Map<string, { match?: RouteMatch; allowed: string[] }>();

  add(methods: string | string[], pattern: string, handler: Handler, options: RouteOptions = {}): this {
    const segments: Segment[] = splitPath(pattern).map((s) =>
      s.startsWith(":") && s.endsWith("*")
        ? { kind: "rest", value: s.slice(1, -1) }
        : s.startsWith(":")
          ? { kind: "param", value: s.slice(1) }
          : { kind: "literal", value: s.toLowerCase() },
    );
    const list = (Array.isArray(methods) ? methods : [methods]).map((m) => m.toUpperCase());
    this.routes.push({
      methods: list,
      pattern,
      segments,
      handler,
      options,
      score: segments.map((s) => SCORE[s.kind]),
      restIndex: segments.findIndex((s) => s.kind === "rest"),
    });
    this.byLength.clear();
    this.recent.clear();
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
    const key = `${method} ${path}`;
    let found = this.recent.get(key);
    if (!found) {
      found = this.find(method, path);
      if (this.recent.size >= MAX_RECENT) this.recent.clear();
      this.recent.set(key, found);
    }
    const { match, allowed } = found;
    // Each request gets its own params object.
    return { match: match && { route: match.route, params: { ...match.params } }, allowed: [...allowed] };
  }

  private find(method: string, path: string): { match?: RouteMatch; allowed: string[] } {
    const parts = splitPath(path);
    const lower = parts.map((p) => p.toLowerCase());
    const upper = method.toUpperCase();
    let best: Route | undefined;
    let allowed: Set<string> | undefined;
    for (const route of this.candidates(parts.length)) {
      if (!pathMatches(route, lower)) continue;
      if (!route.methods.includes(upper)) {
        allowed ??= new Set();
        for (const m of route.methods) allowed.add(m);
        continue;
      }
      if (!best || compareScore(route.score, best.score) > 0) best = route;
    }
    return {
      match: best && { route: best, params: paramsOf(best, parts) },
      allowed: allowed ? [...allowed] : [],
    };
  }

  private candidates(length: number): Route[] {
    let list = this.byLength.get(length);
    if (!list) {
      list = this.routes.filter((r) =>
        r.restIndex < 0 ? r.segments.length === length : r.restIndex <= length,
      );
      this.byLength.set(length, list);
    }
    return list;
  }
}

function compareScore(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Literal segments equal (case-insensitively) up to the end or the `:rest*` segment. */
function pathMatches(route: Route, lowerParts: string[]): boolean {
  const segments = route.segments;
  const end = route.restIndex < 0 ? segments.length : route.restIndex;
  for (let i = 0; i < end; i++) {
    const s = segments[i]!;
    if (s.kind === "literal" && lowerParts[i] !== s.value) return false;
  }
  return true;
}

/** The winning route's parameters: `:name` decoded, `:name*` the rest of the path as sent. */
function paramsOf(route: Route, parts: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  const segments = route.segments;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s.kind === "rest") {
      params[s.value] = parts.slice(i).join("/");
      return params;
    }
    if (s.kind !== "param") continue;
    const p = parts[i]!;
    try {
      params[s.value] = decodeURIComponent(p);
    } catch {
      params[s.value] = p;
    }
  }
  return params;
}
