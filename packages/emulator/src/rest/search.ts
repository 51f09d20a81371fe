// SOSL over REST: /search?q= and /parameterizedSearch (GET and POST).
import type { RequestContext } from "../context.js";
import { restError } from "../errors.js";
import type { Router } from "../router.js";
import { parseSosl, runSearch, type SearchScope, type SearchSpec } from "../sosl.js";
import { version, versionNumber } from "./util.js";

function respond(ctx: RequestContext, records: Record<string, unknown>[]) {
  if (versionNumber(ctx) <= 35) return ctx.sendJson(200, records);
  ctx.sendJson(200, { searchRecords: records });
}

function searchHandler(ctx: RequestContext) {
  const q = ctx.query.get("q");
  if (!q)
    throw restError(
      400,
      "MALFORMED_SEARCH",
      "No search term found. The search term must be enclosed in braces.",
    );
  respond(ctx, runSearch(ctx.org, parseSosl(q), version(ctx)));
}

function scopeOf(v: unknown): SearchScope {
  const s = String(v ?? "ALL").toUpperCase();
  return (["ALL", "NAME", "EMAIL", "PHONE", "SIDEBAR"].includes(s) ? s : "ALL") as SearchScope;
}

/** Escapes SOSL reserved characters so that a plain `q` is searched literally (wildcards kept). */
function literalTerm(q: string): string {
  return q.replace(/[&|!{}[\]()^~:\\"'+-]/g, (c) => `\\${c}`);
}

function parameterizedHandler(ctx: RequestContext) {
  let spec: SearchSpec;
  if (ctx.method === "POST") {
    const body = ctx.json<Record<string, any>>();
    if (!body || typeof body.q !== "string" || !body.q)
      throw restError(400, "MALFORMED_SEARCH", "Search term is required");
    const fields = Array.isArray(body.fields) ? body.fields.join(", ") : undefined;
    spec = {
      term: literalTerm(body.q),
      scope: scopeOf(body.in),
      limit: body.overallLimit,
      objects: (Array.isArray(body.sobjects) ? body.sobjects : []).map((o: any) => ({
        name: String(o.name),
        fields: Array.isArray(o.fields) ? o.fields.join(", ") : fields,
        limit: o.limit ?? body.defaultLimit,
      })),
    };
  } else {
    const q = ctx.query.get("q");
    if (!q) throw restError(400, "MALFORMED_SEARCH", "Search term is required");
    const names = ctx.query.getAll("sobject").flatMap((s) => s.split(","));
    const defaultLimit = ctx.query.get("defaultLimit");
    const fields = ctx.query.get("fields");
    spec = {
      term: literalTerm(q),
      scope: scopeOf(ctx.query.get("in")),
      limit: ctx.query.get("overallLimit") ? Number(ctx.query.get("overallLimit")) : undefined,
      objects: names.map((n) => {
        const f = ctx.query.get(`${n}.fields`) ?? fields;
        const l = ctx.query.get(`${n}.limit`) ?? defaultLimit;
        return { name: n, fields: f ?? undefined, limit: l ? Number(l) : undefined };
      }),
    };
  }
  respond(ctx, runSearch(ctx.org, spec, version(ctx)));
}

export function searchRoutes(router: Router): void {
  router.get("/services/data/:version/search", searchHandler);
  router.get("/services/data/:version/parameterizedSearch", parameterizedHandler);
  router.post("/services/data/:version/parameterizedSearch", parameterizedHandler);
}
