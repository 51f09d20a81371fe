// SOQL over REST: /query, /queryAll, locator paging (/query/01g…-2000), and the Tooling query.
import type { RequestContext } from "../context.js";
import { restError } from "../errors.js";
import type { Router } from "../router.js";
import { executeSoql, type QueryResult, type RenderOptions } from "../soql/engine.js";
import type { StoredRecord } from "../store.js";
import { version } from "./util.js";

/** `Sforce-Query-Options: batchSize=N`, clamped to 200..2000 (default 2000). */
export function batchSize(ctx: RequestContext): number {
  const opt = ctx.header("sforce-query-options");
  const m = opt ? /batchSize\s*=\s*(\d+)/i.exec(opt) : null;
  if (!m) return 2000;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

function locatorUrl(ctx: RequestContext, id: string, pos: number, tooling: boolean): string {
  return `/services/data/v${version(ctx)}/${tooling ? "tooling/" : ""}query/${id}-${pos}`;
}

function renderOptions(ctx: RequestContext, size: number, tooling: boolean): RenderOptions {
  const userId = ctx.session?.userId ?? "";
  const opts: RenderOptions = {
    version: version(ctx),
    childPageSize: size,
    childLocator: (rows: StoredRecord[], render, start) => {
      const id = ctx.org.addCursor({
        rows,
        render: (r) => render(r as StoredRecord),
        totalSize: rows.length,
        batchSize: size,
        userId,
        tooling,
      });
      return locatorUrl(ctx, id, start, tooling);
    },
  };
  return opts;
}

/** One page of a query result, registering a locator for the rest. */
export function firstPage(ctx: RequestContext, res: QueryResult, tooling = false): Record<string, unknown> {
  if (res.countOnly) return envelope(tooling, res.totalSize, true, undefined, [], res.entityTypeName);
  const size = batchSize(ctx);
  const opts = renderOptions(ctx, size, tooling);
  const pageRows = res.rows.length > size ? res.rows.slice(0, size) : res.rows;
  const records = pageRows.map((r) => res.render(r, opts));
  if (res.rows.length <= size)
    return envelope(tooling, res.totalSize, true, undefined, records, res.entityTypeName);
  const id = ctx.org.addCursor({
    rows: res.rows,
    render: (r) => res.render(r, opts),
    totalSize: res.totalSize,
    batchSize: size,
    userId: ctx.session?.userId ?? "",
    tooling,
  });
  return envelope(
    tooling,
    res.totalSize,
    false,
    locatorUrl(ctx, id, size, tooling),
    records,
    res.entityTypeName,
  );
}

function envelope(
  tooling: boolean,
  totalSize: number,
  done: boolean,
  next: string | undefined,
  records: unknown[],
  entity: string,
): Record<string, unknown> {
  if (tooling) {
    const out: Record<string, unknown> = {
      size: records.length,
      totalSize,
      done,
      queryLocator: next ? next.split("/").pop() : null,
      entityTypeName: entity,
    };
    if (next) out.nextRecordsUrl = next;
    out.records = records;
    return out;
  }
  const out: Record<string, unknown> = { totalSize, done };
  if (next) out.nextRecordsUrl = next;
  out.records = records;
  return out;
}

/** Runs a query for a REST handler (also used by composite subrequests). */
export function runQuery(
  ctx: RequestContext,
  soql: string,
  includeDeleted: boolean,
  tooling = false,
): Record<string, unknown> {
  const res = executeSoql(ctx.org, soql, {
    includeDeleted,
    now: ctx.org.now(),
    tooling,
    timeZone: ctx.user?.timeZone,
  });
  return firstPage(ctx, res, tooling);
}

function queryHandler(includeDeleted: boolean, tooling = false) {
  return (ctx: RequestContext) => {
    const q = ctx.query.get("q");
    if (q === null) {
      if (ctx.query.get("explain") !== null) {
        return ctx.sendJson(200, { plans: [] });
      }
      throw restError(400, "MALFORMED_QUERY", "A query string has to be specified");
    }
    ctx.sendJson(200, runQuery(ctx, q, includeDeleted, tooling));
  };
}

function queryMoreHandler(tooling: boolean) {
  return (ctx: RequestContext) => {
    const locator = ctx.params.locator ?? "";
    const m = /^(.+)-(\d+)$/.exec(locator);
    const cursor = m ? ctx.org.getCursor(m[1]!) : undefined;
    if (!m || !cursor || (ctx.session && cursor.userId && cursor.userId !== ctx.session.userId)) {
      throw restError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
    const pos = Number(m[2]);
    if (pos > cursor.rows.length) throw restError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    const end = Math.min(cursor.rows.length, pos + cursor.batchSize);
    const records: unknown[] = [];
    for (let i = pos; i < end; i++) records.push(cursor.render(cursor.rows[i]));
    const done = end >= cursor.rows.length;
    if (done) cursor.completed = true;
    const next = done ? undefined : locatorUrl(ctx, cursor.id, end, cursor.tooling);
    const entity = (records[0] as { attributes?: { type?: string } } | undefined)?.attributes?.type ?? "";
    ctx.sendJson(200, envelope(tooling, cursor.totalSize, done, next, records, entity));
  };
}

export function queryRoutes(router: Router): void {
  const p = "/services/data/:version";
  router.get(`${p}/query`, queryHandler(false));
  router.get(`${p}/queryAll`, queryHandler(true));
  router.get(`${p}/query/:locator`, queryMoreHandler(false));
  router.get(`${p}/queryAll/:locator`, queryMoreHandler(false));
  router.get(`${p}/tooling/query`, queryHandler(false, true));
  router.get(`${p}/tooling/query/:locator`, queryMoreHandler(true));
}
