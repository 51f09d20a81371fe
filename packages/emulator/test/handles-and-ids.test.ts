import { Agent, request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { idChecksum, isValidId, to18 } from "../src/ids.js";
import { startEmulator } from "../src/index.js";
import { adminToken, call } from "./helpers.js";

/** How many resources of each kind keep this process's event loop alive. */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

function get(url: string, agent: Agent, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    })
      .on("error", reject)
      .end();
  });
}

describe("close() leaves no handle open", () => {
  it("after logins, paged queries, a bulk job and open keep-alive sockets, the process is as before", async () => {
    const before = liveResources();
    const org = await startEmulator({ port: 0 });
    const https = await startEmulator({ port: 0, https: true });
    const token = await adminToken(org);
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    for (let i = 0; i < 8; i++) {
      await call(org, "/services/data/v62.0/sobjects/Account", {
        method: "POST",
        token,
        body: { Name: `Handle ${i}` },
      });
    }
    // Open locators, a bulk job and idle keep-alive sockets are all there at close time.
    const paged = await call(org, "/services/data/v62.0/query?q=SELECT+Id+FROM+Account", {
      token,
      headers: { "Sforce-Query-Options": "batchSize=200" },
    });
    expect(paged.status).toBe(200);
    const job = await call(org, "/services/data/v62.0/jobs/ingest", {
      method: "POST",
      token,
      body: { object: "Account", operation: "insert" },
    });
    expect(job.status).toBe(200);
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () => get(`${org.url}/services/data/v62.0/limits`, agent, token)),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(org.stats.openConnections).toBeGreaterThan(0);

    await org.close();
    await https.close();
    // The client's idle keep-alive sockets (the agent's and fetch's) are still open: they
    // close only because the emulator ends its side. Give the FINs a moment to arrive.
    const kinds = ["TCPServerWrap", "TCPSocketWrap", "Timeout"];
    const grown = () => {
      const after = liveResources();
      // The test runner's own timers may come and go; nothing of the emulator's may stay.
      return kinds.filter((kind) => (after[kind] ?? 0) > (before[kind] ?? 0));
    };
    for (let i = 0; i < 50 && grown().length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    try {
      expect(grown()).toEqual([]);
    } finally {
      agent.destroy();
    }
  });
});

describe("record ids", () => {
  // 18-character ids as Salesforce returned them (fixtures/recorded/swiftly).
  const recorded = ["001B000000oAiW9IAK", "001B000000oAiWAIA0", "0011Y00003HVMu4QAH"];

  it.each(recorded)("the checksum of %s is the one Salesforce sent", (id) => {
    expect(idChecksum(id.slice(0, 15))).toBe(id.slice(15));
    expect(to18(id.slice(0, 15))).toBe(id);
    expect(isValidId(id)).toBe(true);
    expect(isValidId(id.slice(0, 15))).toBe(true);
  });

  it("a wrong checksum or a wrong length is not an id", () => {
    expect(isValidId("001B000000oAiW9IAA")).toBe(false);
    expect(isValidId("001B000000oAiW9I")).toBe(false);
    expect(isValidId("001B000000oAiW9IAK ")).toBe(false);
  });

  it("ids the emulator makes carry the object's key prefix and a valid checksum", async () => {
    const org = await startEmulator({ port: 0 });
    try {
      const token = await adminToken(org);
      const made = await call(org, "/services/data/v62.0/sobjects/Contact", {
        method: "POST",
        token,
        body: { LastName: "Checksum" },
      });
      const id: string = made.json.id;
      expect(id).toMatch(/^003[a-zA-Z0-9]{15}$/);
      expect(id.slice(15)).toBe(idChecksum(id.slice(0, 15)));
    } finally {
      await org.close();
    }
  });
});
