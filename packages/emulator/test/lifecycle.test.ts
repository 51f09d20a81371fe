import { request as httpsRequest } from "node:https";
import { Agent, request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import { adminToken, call } from "./helpers.js";

describe("startEmulator / close", () => {
  it("listens on 127.0.0.1 with a free port, and close() ends idle keep-alive sockets", async () => {
    const org = await startEmulator({ port: 0 });
    expect(org.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(org.loginUrl).toBe(org.url);
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${org.url}/services/data`, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve());
      })
        .on("error", reject)
        .end();
    });
    expect(org.stats.openConnections).toBe(1);
    await org.close();
    expect(org.stats.openConnections).toBe(0);
    await expect(fetch(`${org.url}/services/data`)).rejects.toThrow();
    agent.destroy();
  });

  it("serves HTTPS with a localhost certificate exposed as org.ca", async () => {
    const org = await startEmulator({ https: true });
    try {
      expect(org.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(org.ca).toContain("BEGIN CERTIFICATE");
      const body = await new Promise<string>((resolve, reject) => {
        httpsRequest(`${org.url}/services/data`, { ca: org.ca }, (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(text));
        })
          .on("error", reject)
          .end();
      });
      expect(JSON.parse(body)[0].version).toBe("31.0");
      await expect(
        new Promise((resolve, reject) =>
          httpsRequest(`${org.url}/services/data`, (res) => resolve(res.statusCode))
            .on("error", reject)
            .end(),
        ),
      ).rejects.toThrow(/self-signed|certificate/);
    } finally {
      await org.close();
    }
  });

  it("persists records to a file and loads them on the next start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sfkit-emu-"));
    const file = join(dir, "org.json");
    try {
      const a = await startEmulator({ persist: file });
      const id = a.insert("Account", { Name: "Persisted" });
      const gone = a.insert("Account", { Name: "Binned" });
      a.store.delete("Account", gone);
      await a.close();
      const b = await startEmulator({ persist: file });
      try {
        expect(b.query("SELECT Name FROM Account").rows).toHaveLength(1);
        expect(b.query("SELECT Id FROM Account", { includeDeleted: true }).rows).toHaveLength(2);
        const t = await adminToken(b);
        const r = await call(b, `/services/data/v64.0/sobjects/Account/${id}`, { token: t });
        expect(r.json.Name).toBe("Persisted");
        const n = b.insert("Account", { Name: "New" });
        expect(n).not.toBe(id);
        expect(b.users).toHaveLength(a.users.length);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("closes the server even when saving the persist file fails", async () => {
    const org = await startEmulator({ persist: join(tmpdir(), "sfkit-no-such-dir", "x", "org.json") });
    const url = org.url;
    await expect(org.close()).rejects.toThrow();
    await expect(fetch(`${url}/services/data`)).rejects.toThrow();
  });

  it("seeds users: an admin and one with special characters in the password", async () => {
    const org = await startEmulator();
    try {
      expect(org.users[0]).toMatchObject({
        username: "admin@sfkit.test",
        organizationId: org.organizationId,
      });
      expect(org.users[0]!.userId).toMatch(/^005\w{15}$/);
      expect(org.users.some((u) => /[&<>"']/.test(u.password))).toBe(true);
      expect(org.connectedApps[0]!.consumerKey).toBeTruthy();
      expect(org.query("SELECT Username FROM User").rows.length).toBe(org.users.length);
    } finally {
      await org.close();
    }
  });
});

describe("reset", () => {
  it("removes the records but keeps users, the org row and sessions", async () => {
    const org = await startEmulator({ seed: "demo" });
    try {
      const t = await adminToken(org);
      expect(org.query("SELECT COUNT() FROM Account").totalSize).toBeGreaterThan(0);
      expect(org.records("Account")[0]).toMatchObject({
        attributes: { type: "Account" },
        Name: "Edge Communications",
      });
      org.reset();
      expect(org.records("Account")).toEqual([]);
      expect(org.query("SELECT COUNT() FROM Account").totalSize).toBe(0);
      expect(org.query("SELECT COUNT() FROM User").totalSize).toBe(org.users.length);
      const me = await call(org, `/services/data/v64.0/sobjects/User/${org.users[0]!.userId}`, { token: t });
      expect(me.json.Username).toBe("admin@sfkit.test");
      const created = await call(org, "/services/data/v64.0/sobjects/Account", {
        method: "POST",
        token: t,
        body: { Name: "After reset" },
      });
      expect(created.status).toBe(201);
    } finally {
      await org.close();
    }
  });
});
