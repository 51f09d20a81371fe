import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Client,
  ConfigurationError,
  type PreparedRequest,
  type SalesforceResponse,
  createClient,
} from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer((req, res) =>
    json(res, 200, { url: req.url, marker: req.headers["x-marker"] ?? null }),
  );
});
afterAll(() => server.close());

/** A plugin in the shape third parties write: a factory returning (client) => keys. */
function recordCount() {
  const plugin = (client: Client) => ({
    recordCount: async (objects: string[]) =>
      (
        await client.request<{ url: string }>({
          path: "limits/recordCount",
          query: { sObjects: objects.join(",") },
        })
      ).data,
  });
  return Object.assign(plugin, { pluginName: "recordCount" });
}

describe("client.extend", () => {
  it("adds the plugin's keys to a new client, leaving the old one as it was", async () => {
    const base = createClient({ instanceUrl: server.url, sessionId: "s" });
    const extended = base.extend(recordCount());
    expect((await extended.recordCount(["Account", "Contact"])).url).toBe(
      "/services/data/v62.0/limits/recordCount?sObjects=Account%2CContact",
    );
    expect("recordCount" in base).toBe(false);
    expect(extended.plugins).toEqual(["recordCount"]);
    await base.close();
  });

  it("re-adding the same plugin is a no-op; two plugins claiming one key is an error", () => {
    const client = createClient({ instanceUrl: server.url, sessionId: "s" }).extend(recordCount());
    expect(client.extend(recordCount())).toBe(client);
    const impostor = () => ({ recordCount: () => 0 });
    expect(() => client.extend(impostor as never)).toThrow(ConfigurationError);
    expect(() => client.extend((() => ({ request: 1 })) as never)).toThrow(/already has/);
  });

  it("a plugin sees the keys of the plugins added before it", async () => {
    const client = createClient({ instanceUrl: server.url, sessionId: "s" })
      .extend(recordCount())
      .extend((c) => ({ twice: async () => [await c.recordCount(["A"]), await c.recordCount(["B"])] }));
    expect((await client.twice()).map((r) => r.url)).toHaveLength(2);
  });
});

describe("hooks: before, after, error, wrap on request", () => {
  it("run in before-after-hook order: the last registered is outermost", async () => {
    const client = createClient({ instanceUrl: server.url, sessionId: "s" });
    const order: string[] = [];
    client.hook.before<PreparedRequest>("request", (options) => {
      order.push("before");
      options.headers["x-marker"] = "set-by-hook";
    });
    client.hook.after<PreparedRequest, SalesforceResponse>("request", (response) => {
      order.push(`after ${response.status}`);
    });
    client.hook.wrap<PreparedRequest, SalesforceResponse>("request", async (send, options) => {
      order.push("wrap in");
      const response = await send(options);
      order.push("wrap out");
      return response;
    });
    const response = await client.request<{ marker: string }>({ path: "x" });
    expect(response.data.marker).toBe("set-by-hook");
    expect(order).toEqual(["wrap in", "before", "after 200", "wrap out"]);
  });

  it("an error hook sees the typed error and may recover", async () => {
    server.setHandler((_req, res) => json(res, 404, [{ errorCode: "NOT_FOUND", message: "gone" }]));
    const client = createClient({ instanceUrl: server.url, sessionId: "s" });
    const seen: string[] = [];
    client.hook.error<PreparedRequest, SalesforceResponse>("request", (error) => {
      seen.push((error as Error).name);
      return { status: 404, headers: {}, data: "recovered", url: "" };
    });
    await expect(client.request({ path: "x" })).resolves.toMatchObject({ data: "recovered" });
    expect(seen).toEqual(["SalesforceResourceNotFound"]);
    server.setHandler((req, res) => json(res, 200, { url: req.url }));
  });

  it("hooks are shared by clients derived with extend, and can be removed", async () => {
    const base = createClient({ instanceUrl: server.url, sessionId: "s" });
    const derived = base.extend(recordCount());
    let calls = 0;
    const count = () => {
      calls++;
    };
    base.hook.before("request", count);
    await derived.recordCount(["A"]);
    base.hook.remove("request", count);
    await derived.recordCount(["A"]);
    expect(calls).toBe(1);
  });
});
