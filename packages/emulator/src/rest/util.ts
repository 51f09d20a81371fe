// Helpers shared by the REST resources.
import type { RequestContext } from "../context.js";
import { notFoundError, restError } from "../errors.js";
import type { ObjectDef } from "../schema/types.js";

/** The sObject named in the path (case-insensitive), or the routing 404. */
export function objectOr404(ctx: RequestContext, name: string | undefined, tooling = false): ObjectDef {
  const def = name ? ctx.org.schema.get(name) : undefined;
  if (!def || (tooling && !def.tooling)) throw notFoundError();
  return def;
}

/** API version of the request ("64.0"). */
export function version(ctx: RequestContext): string {
  return ctx.apiVersion ?? `${ctx.org.latestVersion}.0`;
}

export function versionNumber(ctx: RequestContext): number {
  return Number(version(ctx));
}

/** A JSON object body (not an array or a scalar) or 400 JSON_PARSER_ERROR. */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
  const body = ctx.json<unknown>();
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw restError(
      400,
      "JSON_PARSER_ERROR",
      `Cannot deserialize instance of sObject from ${Array.isArray(body) ? "START_ARRAY" : "VALUE_STRING"} value`,
    );
  }
  return body as Record<string, unknown>;
}
