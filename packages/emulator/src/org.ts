// The emulated org: state (schema, records, users, sessions, apps, locators, API usage) and the
// HTTP(S) server that serves it.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { createApex, type ApexRegistry } from "./apex/index.js";
import type { ConnectedApp, EmulatedUser, Session, UserOptions } from "./auth/sessions.js";
import { SessionManager } from "./auth/sessions.js";
import { checkTrustedIpRange } from "./auth/trusted-ips.js";
import { normalizePath, RequestContext } from "./context.js";
import type { BulkEmulatorOptions } from "./bulk/index.js";
import { formatDateTime } from "./dates.js";
import { HttpError, notFoundError, restError } from "./errors.js";
import { FaultInjector, MAINTENANCE_HTML } from "./faults.js";
import { IdGenerator, randomAlnum, to18 } from "./ids.js";
import { toJson } from "./json.js";
import { Router } from "./router.js";
import { registerRoutes } from "./routes.js";
import type { CustomObjectSpec } from "./schema/schema.js";
import { Schema } from "./schema/schema.js";
import { readSchemaFile } from "./schema/schema-file.js";
import { loadSourceProject } from "./schema/source-format.js";
import { standardObjects } from "./schema/standard-objects.js";
import { executeSoql, type QueryResult, type SoqlOptions } from "./soql/engine.js";
import { renderFullRecord } from "./soql/render.js";
import { RecordStore, type StoredRecord } from "./store.js";
import {
  DEFAULT_APP_CERT,
  DEFAULT_APP_PRIVATE_KEY,
  LOCALHOST_CERT,
  LOCALHOST_KEY,
} from "./test-certificates.js";

export interface EmulatorOptions {
  /** TCP port (0 = a free port, the default). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Serve HTTPS with the built-in self-signed localhost certificate (`org.ca`). */
  https?: boolean;
  /** Initial data: "empty" (users and the org only, the default), "demo" (sample records), or a function. */
  seed?: "empty" | "demo" | ((org: Org) => void | Promise<void>);
  /** Extra login users (the default users are always there). */
  users?: UserOptions[];
  /** Extra connected apps (the seeded default app is always there). */
  connectedApps?: ConnectedApp[];
  /** Custom objects: specs, or the path of a JSON file holding them. */
  schema?: CustomObjectSpec[] | string;
  /** Salesforce DX source folders (force-app) whose custom objects to load. */
  project?: string | string[];
  /** Load records from this JSON file on start, save them on close / org.save(). */
  persist?: string;
  /** Session lifetime (default 2 hours). */
  sessionLifetimeMs?: number;
  /** Daily API request limit reported by Sforce-Limit-Info and /limits (default 15000). */
  dailyApiLimit?: number;
  /** Organization name. */
  organizationName?: string;
  /** Report a sandbox org (SOAP login `sandbox`, Organization.IsSandbox). */
  sandbox?: boolean;
  /** Highest API version served (default 66.0). */
  latestVersion?: number;
  /** SOAP login() disabled in this org (as in orgs created Winter '26 or later). */
  soapLoginDisabled?: boolean;
  /**
   * Network Access: client addresses from which users log in without their security token
   * ("127.0.0.1", "10.0.0.0/8", "10.1.0.0-10.1.255.255"). Changeable later via `org.trustedIpRanges`.
   */
  trustedIpRanges?: string[];
  /** gzip responses when the client accepts it (default true). */
  compression?: boolean;
  /** Clock (epoch ms), for tests of date literals and session expiry. */
  now?: () => number;
  /** Bulk API processing pace (delay before a job starts, rows per slice, result file sizes). */
  bulk?: BulkEmulatorOptions;
}

export interface EmulatorStats {
  /** HTTP requests received. */
  requests: number;
  /** TCP connections opened (keep-alive reuse keeps this low). */
  connections: number;
  /** TCP connections currently open. */
  openConnections: number;
}

export interface QueryCursor {
  id: string;
  rows: readonly unknown[];
  render: (row: unknown) => Record<string, unknown>;
  totalSize: number;
  batchSize: number;
  userId: string;
  lastUsed: number;
  /** The last page was served. */
  completed?: boolean;
  tooling: boolean;
}

const DEFAULT_PASSWORD_CHARS = "sfkit-Admin-1";
/** Profile id given to every emulated user (there is no Profile object). */
export const PROFILE_ID = to18("00e5g0000000001");
const SYSTEM_USER_ID = to18("005000000000000");
const MIN_VERSION = 31;
const EMPTY = Buffer.alloc(0);
const LOCATOR_IDLE_MS = 15 * 60_000;
/** A cursor whose last page was served stays a minute (for retries of that page). */
const LOCATOR_COMPLETED_MS = 60_000;
const MAX_LOCATORS = 1000;

export const DEFAULT_CONNECTED_APP: ConnectedApp = {
  name: "sfkit Emulator",
  consumerKey: "3MVG9sfkitEmulatorDefaultConsumerKey00000000000000000000000000000000000000000",
  consumerSecret: "SFKITEMULATORCONSUMERSECRET0000000000000000000000000000000000000000",
  certificate: DEFAULT_APP_CERT,
  privateKey: DEFAULT_APP_PRIVATE_KEY,
  runAs: "admin@sfkit.test",
};

const DEFAULT_USERS: UserOptions[] = [
  {
    username: "admin@sfkit.test",
    password: DEFAULT_PASSWORD_CHARS,
    securityToken: "AdminToken0000000000000A",
    firstName: "Ada",
    lastName: "Admin",
    email: "admin@sfkit.test",
    alias: "aadmin",
    profileName: "System Administrator",
  },
  {
    username: "integration@sfkit.test",
    password: `p&ss<w>rd"'#1`,
    securityToken: "IntegrationToken0000000B",
    firstName: "Ian",
    lastName: "Integration",
    email: "integration@sfkit.test",
    alias: "iinteg",
    profileName: "System Administrator",
  },
  {
    username: "expired@sfkit.test",
    password: "Expired-Passw0rd",
    securityToken: "ExpiredToken00000000000C",
    lastName: "Expired",
    email: "expired@sfkit.test",
    alias: "expired",
    passwordExpired: true,
  },
  {
    username: "locked@sfkit.test",
    password: "Locked-Passw0rd",
    securityToken: "LockedToken000000000000D",
    lastName: "Locked",
    email: "locked@sfkit.test",
    alias: "locked",
    locked: true,
  },
];

export class Org {
  readonly options: EmulatorOptions;
  readonly schema: Schema;
  readonly store: RecordStore;
  readonly router = new Router();
  readonly faults = new FaultInjector();
  readonly users: EmulatedUser[] = [];
  readonly connectedApps: ConnectedApp[];
  readonly sessions: SessionManager;
  readonly apex: ApexRegistry;
  /** Self-signed certificate PEM to trust when `https: true`. */
  ca: string | undefined;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly latestVersion: number;
  readonly dailyApiLimit: number;
  /** Network Access ranges (see EmulatorOptions.trustedIpRanges); tests may change them. */
  trustedIpRanges: string[];
  apiCalls = 0;
  /** API calls per connected app (consumer key), for apps with a perAppApiLimit. */
  readonly appApiCalls = new Map<string, number>();
  /** Usage counters of other limits (name → used), shown as Max - used by /limits. */
  readonly usage: Record<string, number> = {};
  readonly locators = new Map<string, QueryCursor>();
  private readonly statsData: EmulatorStats = { requests: 0, connections: 0, openConnections: 0 };
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private baseUrl = "";
  readonly now: () => number;
  /** When the org was created (epoch ms): Last-Modified of describes. */
  readonly startedAt: number;
  /** Modules may keep their own state here (e.g. bulk jobs), keyed by module name. */
  readonly extensions = new Map<string, unknown>();
  /** Called when the org closes (modules stop timers here). */
  readonly closeHooks: (() => void)[] = [];

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.latestVersion = options.latestVersion ?? 66;
    this.dailyApiLimit = options.dailyApiLimit ?? 15000;
    for (const range of options.trustedIpRanges ?? []) checkTrustedIpRange(range);
    this.trustedIpRanges = [...(options.trustedIpRanges ?? [])];
    this.organizationName = options.organizationName ?? "sfkit Emulator";
    this.schema = new Schema(standardObjects());
    const customs: CustomObjectSpec[] = [];
    if (typeof options.schema === "string") customs.push(...readSchemaFile(options.schema));
    else if (options.schema) customs.push(...options.schema);
    for (const p of typeof options.project === "string" ? [options.project] : (options.project ?? [])) {
      customs.push(...loadSourceProject(p));
    }
    if (customs.length) this.schema.addCustomObjects(customs);
    const orgIdGen = new IdGenerator(1, "5g");
    this.organizationId = orgIdGen.next("00D");
    this.store = new RecordStore(this.schema, () => this.users[0]?.userId ?? "", this.now);
    this.sessions = new SessionManager(
      this.organizationId.slice(0, 15),
      options.sessionLifetimeMs ?? 2 * 3600_000,
      this.now,
    );
    this.connectedApps = [structuredClone(DEFAULT_CONNECTED_APP), ...(options.connectedApps ?? [])];
    this.apex = createApex(this);
    registerRoutes(this.router);
  }

  // ------------------------------------------------------------------ public surface

  get url(): string {
    return this.baseUrl;
  }
  /** Where clients log in (SOAP login, OAuth token endpoint): the same server. */
  get loginUrl(): string {
    return this.baseUrl;
  }
  get instanceUrl(): string {
    return this.baseUrl;
  }

  get stats(): EmulatorStats {
    return { ...this.statsData };
  }

  /** Expires every session (REST answers 401 INVALID_SESSION_ID afterwards). */
  expireAllSessions(): void {
    this.sessions.expire();
  }

  /** Runs SOQL against the store (same engine as /query). */
  query(soql: string, options: SoqlOptions = {}): QueryResult {
    return executeSoql(this, soql, { now: this.now(), ...options });
  }

  /** Inserts a record with validation; returns the 18-character id. */
  insert(type: string, values: Record<string, unknown>): string {
    return this.store.insert(type, values);
  }

  /** Records of a type as REST JSON (test helper). */
  records(type: string, version = `${this.latestVersion}.0`): Record<string, unknown>[] {
    const def = this.schema.get(type);
    if (!def) throw new Error(`Unknown sObject type ${type}`);
    const out: Record<string, unknown>[] = [];
    for (const r of this.store.rows(def)) if (!r.IsDeleted) out.push(renderFullRecord(def, r, version));
    return out;
  }

  /** A user by username (case-insensitive). */
  findUser(username: string): EmulatedUser | undefined {
    const u = username.trim().toLowerCase();
    return this.users.find((x) => x.username.toLowerCase() === u);
  }

  userById(id: string): EmulatedUser | undefined {
    return this.users.find((u) => u.userId === id || u.userId.slice(0, 15) === id.slice(0, 15));
  }

  /** Adds a login user (also a User record). */
  addUser(o: UserOptions): EmulatedUser {
    const lastName = o.lastName ?? o.username.split("@")[0] ?? "User";
    const email = o.email ?? (o.username.includes("@") ? o.username : `${o.username}@example.com`);
    const userId = this.store.insert(
      "User",
      {
        Username: o.username,
        FirstName: o.firstName ?? null,
        LastName: lastName,
        Email: email,
        Alias: (o.alias ?? lastName).slice(0, 8),
        TimeZoneSidKey: o.timeZone ?? "GMT",
        LocaleSidKey: "en_US",
        EmailEncodingKey: "UTF-8",
        LanguageLocaleKey: "en_US",
        ProfileId: PROFILE_ID,
        IsActive: !o.locked,
      },
      { userId: this.users[0]?.userId ?? SYSTEM_USER_ID },
    );
    const user: EmulatedUser = {
      username: o.username,
      password: o.password,
      securityToken: o.securityToken ?? "",
      userId,
      organizationId: this.organizationId,
      firstName: o.firstName,
      lastName,
      email,
      alias: o.alias,
      timeZone: o.timeZone ?? "GMT",
      locale: "en_US",
      language: "en_US",
      profileName: o.profileName ?? "Standard User",
      locked: o.locked,
      passwordExpired: o.passwordExpired,
      restApiDisabled: o.restApiDisabled,
    };
    this.users.push(user);
    return user;
  }

  /** The `api-usage=N/M` value of Sforce-Limit-Info. */
  apiUsageHeader(session?: Session): string {
    const base = `api-usage=${this.apiCalls}/${this.dailyApiLimit}`;
    const app = session?.clientId
      ? this.connectedApps.find((a) => a.consumerKey === session.clientId)
      : undefined;
    if (!app?.perAppApiLimit) return base;
    const name = app.name ?? app.consumerKey;
    return `${base}; per-app-api-usage=${this.appApiCalls.get(app.consumerKey) ?? 0}/${app.perAppApiLimit}(appName=${name})`;
  }

  /** Registers a query cursor and returns its locator id (an 18-character `01g` id). */
  addCursor(c: Omit<QueryCursor, "id" | "lastUsed">): string {
    const id = to18(`01g5g${randomAlnum(10)}`);
    this.sweepCursors();
    this.locators.set(id, { ...c, id, lastUsed: this.now() });
    return id;
  }

  /** A live cursor (unknown or expired: undefined). Use keeps it alive. */
  getCursor(id: string): QueryCursor | undefined {
    const c = this.locators.get(id);
    if (!c) return undefined;
    if (this.now() - c.lastUsed > (c.completed ? LOCATOR_COMPLETED_MS : LOCATOR_IDLE_MS)) {
      this.locators.delete(id);
      return undefined;
    }
    c.lastUsed = this.now();
    // Map order is least recently used first.
    this.locators.delete(id);
    this.locators.set(id, c);
    return c;
  }

  /** Drops expired cursors, then the least recently used ones beyond the cap. */
  private sweepCursors(): void {
    const now = this.now();
    for (const [id, c] of this.locators) {
      if (now - c.lastUsed > (c.completed ? LOCATOR_COMPLETED_MS : LOCATOR_IDLE_MS)) this.locators.delete(id);
    }
    for (const id of this.locators.keys()) {
      if (this.locators.size < MAX_LOCATORS) break;
      this.locators.delete(id);
    }
  }

  /** Supported API versions, oldest first ("31.0" … latest). */
  versions(): string[] {
    const out: string[] = [];
    for (let v = MIN_VERSION; v <= this.latestVersion; v++) out.push(`${v}.0`);
    return out;
  }

  /**
   * Removes every record except the users and the Organization row (same ids), and drops query
   * locators: a clean org between tests. Sessions stay valid; the API usage counter is kept.
   */
  reset(): void {
    const keep = [...this.store.rows("User"), ...this.store.rows("Organization")].map((r) => ({ ...r }));
    this.store.clear();
    this.locators.clear();
    for (const r of keep) this.store.load(this.schema.forId(r.Id)!.name, r as StoredRecord);
  }

  // ------------------------------------------------------------------ lifecycle

  async seedUsers(): Promise<void> {
    if (!this.store.count("Organization")) {
      this.store.load("Organization", this.organizationRecord());
    }
    for (const u of [...DEFAULT_USERS, ...(this.options.users ?? [])]) {
      const existing = this.store.findBy("User", "Username", u.username)[0];
      if (existing) {
        this.users.push({
          ...u,
          securityToken: u.securityToken ?? "",
          lastName: String(existing.LastName),
          email: String(existing.Email),
          userId: existing.Id,
          organizationId: this.organizationId,
        });
      } else this.addUser(u);
    }
  }

  private organizationRecord(): StoredRecord {
    const now = formatDateTime(this.now());
    return {
      Id: this.organizationId,
      Name: this.organizationName,
      Country: "US",
      PrimaryContact: "Ada Admin",
      DefaultLocaleSidKey: "en_US",
      TimeZoneSidKey: "GMT",
      LanguageLocaleKey: "en_US",
      FiscalYearStartMonth: 1,
      UiSkin: "Theme3",
      OrganizationType: "Developer Edition",
      InstanceName: "EMU1",
      IsSandbox: this.options.sandbox === true,
      IsReadOnly: false,
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: SYSTEM_USER_ID,
      LastModifiedDate: now,
      LastModifiedById: SYSTEM_USER_ID,
      SystemModstamp: now,
    };
  }

  async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((e) => {
        try {
          if (!res.headersSent) {
            res.statusCode = 500;
            res.setHeader("Content-Type", "application/json;charset=UTF-8");
            res.end(
              toJson([
                {
                  errorCode: "UNKNOWN_EXCEPTION",
                  message: `An unexpected error occurred: ${String(e?.message ?? e)}`,
                },
              ]),
            );
          } else res.destroy();
        } catch {
          /* the socket is gone */
        }
      });
    };
    const https = this.options.https === true;
    const server = https
      ? createHttpsServer({ cert: LOCALHOST_CERT, key: LOCALHOST_KEY, keepAlive: true }, handler)
      : createHttpServer({ keepAlive: true }, handler);
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 60_000;
    server.requestTimeout = 0;
    server.on("connection", (socket: Socket) => {
      this.statsData.connections++;
      this.statsData.openConnections++;
      this.sockets.add(socket);
      socket.on("close", () => {
        this.statsData.openConnections--;
        this.sockets.delete(socket);
      });
    });
    server.on("clientError", (_err, socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      else socket.destroy();
    });
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const addr = server.address();
    const port = typeof addr === "object" && addr ? addr.port : this.options.port;
    const shownHost =
      host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
    this.baseUrl = `${https ? "https" : "http"}://${shownHost}:${port}`;
    this.ca = https ? LOCALHOST_CERT : undefined;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    let saveError: unknown;
    const socketsClosed = [...this.sockets].map(
      (s) =>
        new Promise<void>((resolve) =>
          s.destroyed && !this.sockets.has(s) ? resolve() : s.once("close", () => resolve()),
        ),
    );
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections?.();
      for (const s of this.sockets) s.destroy();
      server.closeAllConnections?.();
    });
    await Promise.all(socketsClosed);
    if (this.options.persist) {
      // Save once no request can write any more: a record acknowledged to a client while
      // closing is in the file. A failed save is reported after the rest is closed.
      await this.save().catch((e: unknown) => {
        saveError = e;
      });
    }
    for (const closeHook of this.closeHooks) closeHook();
    // Module state with a close() (e.g. the bulk workers) stops with the org.
    for (const ext of this.extensions.values()) {
      const close = (ext as { close?: unknown } | null)?.close;
      if (typeof close === "function") close.call(ext);
    }
    if (saveError) throw saveError;
  }

  /** Saves records to the `persist` file (or to the given path). */
  async save(path = this.options.persist): Promise<void> {
    if (!path)
      throw new Error(
        "org.save() needs a path: pass one, or start the emulator with { persist: 'file.json' }",
      );
    const { savePersisted } = await import("./persist.js");
    await savePersisted(this, path);
  }

  // ------------------------------------------------------------------ request handling

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    // No body announced (most GETs): nothing to wait for.
    if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
      return EMPTY;
    }
    if (req.headers["content-length"] === "0") {
      req.resume();
      return EMPTY;
    }
    // Plain events rather than `for await`: the async iterator costs more than a small body.
    let body = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      req.once("error", reject);
      // A client that disconnects mid-body: 'end' never comes.
      req.once("close", () => {
        if (!req.complete) reject(new Error("The client closed the connection before the body ended."));
      });
    });
    if (/gzip/i.test(String(req.headers["content-encoding"] ?? "")) && body.length) {
      try {
        body = gunzipSync(body);
      } catch {
        /* leave as is; the handler reports the parse error */
      }
    }
    return body;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.statsData.requests++;
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      url = new URL("http://localhost/");
    }
    // Matched once here and reused by dispatch(). Routes with `streamBody` (Bulk 2.0 uploads)
    // read `ctx.req` themselves, a chunk at a time.
    const routed = this.router.match(req.method ?? "GET", normalizePath(url.pathname));
    const streamed = routed.match?.route.options.streamBody;
    // No body announced (most GETs): no await, so the answer is written in this same turn.
    const bodyless =
      req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined;
    const body = streamed ? Buffer.alloc(0) : bodyless ? EMPTY : await this.readBody(req);
    const ctx = new RequestContext(this, req, res, url, body);
    const fault = this.faults.take(ctx.method, ctx.path + url.search);
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop === "before-response") {
        req.socket.destroy();
        return;
      }
      if (fault.expireSession) {
        const token = ctx.token();
        if (token) this.sessions.expire(token);
      }
      ctx.fault = fault;
      if (fault.html || fault.status !== undefined || fault.body !== undefined) {
        const status = fault.status ?? (fault.html ? 503 : 500);
        const headers = { ...(fault.headers ?? {}) };
        if (fault.html) {
          ctx.send(status, MAINTENANCE_HTML, {
            "Content-Type": fault.contentType ?? "text/html;charset=UTF-8",
            ...headers,
          });
        } else if (typeof fault.body === "string" || fault.body === undefined) {
          ctx.send(status, fault.body ?? "", {
            "Content-Type": fault.contentType ?? "application/json;charset=UTF-8",
            ...headers,
          });
        } else {
          ctx.send(status, toJson(fault.body), {
            "Content-Type": fault.contentType ?? "application/json;charset=UTF-8",
            ...headers,
          });
        }
        return;
      }
    }
    try {
      // A synchronous handler has answered by now: no promise to wait for.
      const pending = this.dispatch(ctx, routed);
      if (pending) await pending;
      if (!ctx.responded) ctx.send(204);
    } catch (e) {
      if (ctx.responded) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        if (typeof e.body === "string" || Buffer.isBuffer(e.body))
          ctx.send(e.status, e.body as string, e.headers);
        else ctx.sendJson(e.status, e.body, e.headers);
      } else {
        const message = e instanceof Error ? e.message : String(e);
        ctx.sendJson(500, [
          {
            errorCode: "UNKNOWN_EXCEPTION",
            message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${randomAlnum(8)}-${randomAlnum(5)} (${message})`,
          },
        ]);
      }
    }
  }

  private dispatch(ctx: RequestContext, routed: ReturnType<Router["match"]>): void | Promise<void> {
    const { match, allowed } = routed;
    if (!match) {
      if (allowed.length) {
        throw restError(
          405,
          "METHOD_NOT_ALLOWED",
          `HTTP Method '${ctx.method}' not allowed. Allowed are ${allowed
            .filter((m) => m !== "HEAD")
            .concat(allowed.includes("GET") ? ["HEAD"] : [])
            .join(",")}`,
        );
      }
      throw notFoundError();
    }
    ctx.params = match.params;
    const opts = match.route.options;
    if (match.params.version !== undefined) {
      const m = /^v(\d+)\.0$/.exec(match.params.version);
      if (!m) throw notFoundError();
      const v = Number(m[1]);
      if (v < MIN_VERSION && v >= 7)
        throw new HttpError(410, [{ errorCode: "GONE", message: `API version ${v}.0 has been retired.` }]);
      if (v < MIN_VERSION || v > this.latestVersion) throw notFoundError();
      ctx.apiVersion = `${v}.0`;
    }
    if ((opts.auth ?? "session") === "session") {
      const session = this.sessions.get(ctx.token());
      const authorization = ctx.header("authorization");
      if (
        !session &&
        authorization &&
        !/^(Bearer|OAuth)\s/i.test(authorization.trim()) &&
        !opts.onAuthFailure
      ) {
        throw restError(401, "INVALID_AUTH_HEADER", "INVALID_HEADER_TYPE");
      }
      if (!session) {
        if (opts.onAuthFailure) {
          opts.onAuthFailure(ctx);
          return;
        }
        throw restError(401, "INVALID_SESSION_ID", "Session expired or invalid");
      }
      ctx.session = session;
      ctx.user = this.userById(session.userId);
      if (
        (session.restApiDisabled || ctx.user?.restApiDisabled) &&
        ctx.path.toLowerCase().startsWith("/services/data")
      ) {
        throw restError(401, "INVALID_SESSION_ID", "This session is not valid for use with the REST API");
      }
      if (session.passwordExpired) {
        throw restError(
          403,
          "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
          "The users password has expired, you must call SetPassword before attempting any other API operations",
        );
      }
      if (opts.apiUsage !== false) {
        this.apiCalls++;
        if (session.clientId)
          this.appApiCalls.set(session.clientId, (this.appApiCalls.get(session.clientId) ?? 0) + 1);
        ctx.limitInfo = true;
        if (this.apiCalls > this.dailyApiLimit) {
          throw restError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }
      }
    } else if (opts.apiUsage) {
      this.apiCalls++;
      ctx.limitInfo = true;
    }
    return match.route.handler(ctx);
  }
}

export type { Session };
