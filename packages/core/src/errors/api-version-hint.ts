/**
 * The newest REST API version Salesforce serves as of this release (Spring '26 = 66.0, which
 * the emulator serves too). Raise it with each Salesforce release; it only decides whether
 * a 404 gets the hint below, so a stale value costs a hint, never a request.
 */
export const NEWEST_KNOWN_API_VERSION = 66;

const VERSIONED_PATH = /\/services\/data\/v(\d+)\.0(?:\/|$)/;

/**
 * Salesforce answers a version it does not have (`/services/data/v99.0/...`) with the same
 * 404 NOT_FOUND as a missing record, so the error alone does not say that the version is the
 * problem. When the path asks for a version newer than any Salesforce has released, this
 * says so; it adds no request.
 */
export function apiVersionHint(path: string, errorCode: string | undefined): string | undefined {
  if (errorCode !== undefined && errorCode !== "NOT_FOUND") return undefined;
  const match = VERSIONED_PATH.exec(path);
  if (!match) return undefined;
  const version = Number(match[1]);
  if (version <= NEWEST_KNOWN_API_VERSION) return undefined;
  return `API version ${version}.0 may not exist on this org (the newest sfkit knows is ${NEWEST_KNOWN_API_VERSION}.0): GET /services/data/ lists the versions it supports (client.request({ path: "/services/data/" })); set apiVersion to one of them.`;
}
