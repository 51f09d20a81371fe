import { PassThrough } from "node:stream";
import { startEmulator } from "@sfkit/emulator";
import { salesforceLogin } from "@sfkit/salesforce";
import { describe, expect, it } from "vitest";

// The demo is plain JavaScript (it runs on the built packages): its summary is loosely typed here.
interface DemoModule {
  main(input: {
    argv?: string[];
    env?: Record<string, string>;
    out?: NodeJS.WritableStream;
    rows?: number;
  }): Promise<Record<string, any>>;
  parseArgs(argv: string[]): { rows: number; write: boolean; help: boolean };
  orgFromEnv(env: Record<string, string>): { label: string; options: Record<string, string> } | undefined;
}
const { main, parseArgs, orgFromEnv } = (await import("../src/main.mjs")) as DemoModule;

function capture() {
  const out = new PassThrough();
  let text = "";
  out.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return { out, text: () => text };
}

describe("the demo", () => {
  it("runs end to end on the emulator: DreamHouse, relationships, writes, Bulk 2.0, queryIter, Apex REST, usage", async () => {
    const { out, text } = capture();
    const summary = await main({ argv: [], env: {}, out, rows: 3000 });
    expect(summary.mode).toBe("emulator");
    expect(summary.login.authType).toBe("password");
    expect(summary.described).toEqual(["Broker__c", "Property__c"]);
    expect(summary.loaded).toEqual({ Broker__c: 8, Property__c: 12, Contact: 5 });
    // Every property's broker reference was resolved: the brokers' listings add up to all 12.
    expect(summary.queries.listings).toBe(12);
    expect(summary.queries.brokers).toBe(8);
    expect(summary.queries.available).toBeGreaterThan(0);
    expect(summary.crud.title).toBe("Buyer");
    expect(summary.crud.upserts).toEqual([201, expect.any(Number)]);
    expect([200, 204]).toContain(summary.crud.upserts[1]);
    expect(summary.crud.deleted).toBe(204);
    expect(summary.bulk).toEqual({ rows: 3000, successful: 3000, failed: 0, jobs: 1 });
    expect(summary.readBack).toBe(3000);
    expect(summary.quotedTitles).toBe(300);
    expect(summary.apex.stats.properties).toBe(12);
    expect(summary.apex.saved).toMatchObject({ favorites: 1 });
    expect(summary.apiUsage).toEqual(
      expect.objectContaining({ used: expect.any(Number), limit: expect.any(Number) }),
    );

    const output = text();
    for (const heading of [
      "Start the emulator",
      "Log in by SOAP",
      "Load the DreamHouse sample data",
      "Relationship queries",
      "Create, update, upsert, delete",
      "Bulk API 2.0",
      "queryIter",
      "Apex REST",
      "API usage",
      "Done in",
    ]) {
      expect(output).toContain(heading);
    }
    // Not a TTY: no colour codes, no carriage-return progress.
    expect(output).not.toMatch(/\u001b\[/);
    expect(output).not.toContain("\r");
  });

  it("prints usage for --help and refuses unknown arguments", async () => {
    const { out, text } = capture();
    expect(await main({ argv: ["--help"], env: {}, out })).toEqual({ mode: "help" });
    expect(text()).toContain("--write");
    expect(() => parseArgs(["--rows", "0"])).toThrow(/positive whole number/);
    expect(() => parseArgs(["--nope"])).toThrow(/unknown argument/);
    expect(parseArgs(["--rows=500", "--write"])).toEqual({ rows: 500, write: true, help: false });
  });

  it("against an org given in the environment, runs read-only unless --write (the emulator stands in for the org)", async () => {
    const org = await startEmulator({ port: 0 });
    try {
      const user = org.users[0]!;
      const count = () => org.query("SELECT Id FROM Contact").totalSize;
      const before = count();
      const { out, text } = capture();
      const readOnly = await main({
        argv: ["--rows", "500"],
        env: {
          SF_USERNAME: user.username,
          SF_PASSWORD: user.password,
          SF_SECURITY_TOKEN: user.securityToken,
          SF_DOMAIN: org.loginUrl,
        },
        out,
      });
      expect(readOnly.mode).toBe("org");
      expect(readOnly.write).toBe(false);
      expect(readOnly.crud).toBeUndefined();
      expect(readOnly.sobjects).toBeGreaterThan(0);
      expect(count()).toBe(before);
      expect(text()).toContain("Nothing was written");

      const { sessionId } = await salesforceLogin({
        username: user.username,
        password: user.password,
        securityToken: user.securityToken,
        loginUrl: org.loginUrl,
      });
      const { out: out2 } = capture();
      const writing = await main({
        argv: ["--write"],
        env: { SF_INSTANCE_URL: org.url, SF_ACCESS_TOKEN: sessionId },
        out: out2,
      });
      expect(writing.crud.deleted).toBe(204);
      expect(writing.crud.upserts).toEqual([]);
      expect(count()).toBe(before); // the Contact it made is deleted again
    } finally {
      await org.close();
    }
  });

  it("uses a real org only when its credentials are in the environment", () => {
    expect(orgFromEnv({})).toBeUndefined();
    expect(orgFromEnv({ SF_USERNAME: "u@x.com", SF_PASSWORD: "p", SF_DOMAIN: "test" })?.options).toEqual({
      username: "u@x.com",
      password: "p",
      domain: "test",
    });
    expect(
      orgFromEnv({ SF_INSTANCE_URL: "https://acme.my.salesforce.com", SF_ACCESS_TOKEN: "00D!x" })?.options,
    ).toEqual({ instanceUrl: "https://acme.my.salesforce.com", sessionId: "00D!x" });
  });
});
