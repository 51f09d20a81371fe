import type { Session } from "./auth.js";
import type { HookCollection } from "./hooks.js";
import type { ApiUsage, Logger, RequestOptions, SalesforceResponse } from "./types.js";

/** What every client has, before any plugin. */
export interface ClientBase {
  /** The normalised API version, e.g. "62.0". */
  readonly apiVersion: string;
  /** The instance URL once known (after login, or given). */
  readonly instanceUrl: string | undefined;
  /** The last `Sforce-Limit-Info` figures; undefined before the first response. Never throws. */
  readonly apiUsage: ApiUsage | undefined;
  readonly clientId: string | undefined;
  /** Names of the plugins added with extend. */
  readonly plugins: readonly string[];
  /** Calls any REST path; returns `{ status, headers, data }` or throws a typed error. */
  request<T = unknown>(options: RequestOptions): Promise<SalesforceResponse<T>>;
  /** Builds the URL core would call for a path (no request is made). */
  url(path: string, query?: RequestOptions["query"]): Promise<string>;
  /** The current session, logging in first if needed. */
  session(): Promise<Session>;
  /** Ends the session on the server where the strategy can, and forgets it. */
  logout(): Promise<void>;
  /** Closes pooled connections; the process can then exit. */
  close(): Promise<void>;
  readonly hook: HookCollection;
  readonly log: Logger;
}
