import { createClient, SalesforceResourceNotFound } from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rest } from "../src/index.js";

let org: Emulator;
const clients: { close(): Promise<void> }[] = [];

function client(apiVersion: string) {
  const made = createClient({
    instanceUrl: org.url,
    sessionId: org.sessions.create(org.users[0]!).token,
    apiVersion,
  }).extend(rest());
  clients.push(made);
  return made;
}

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
});
afterAll(async () => {
  for (const made of clients) await made.close();
  await org.close();
});

describe("an API version the org does not have", () => {
  it("is Salesforce's 404 NOT_FOUND, and the error says the version may be the cause", async () => {
    const error = await client("99.0")
      .query("SELECT Id FROM Account")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceResourceNotFound);
    const notFound = error as SalesforceResourceNotFound;
    expect(notFound.status).toBe(404);
    expect(notFound.errorCode).toBe("NOT_FOUND");
    expect(notFound.content).toEqual([
      { errorCode: "NOT_FOUND", message: "The requested resource does not exist" },
    ]);
    expect(notFound.message).toContain("API version 99.0 may not exist on this org");
    expect(notFound.message).toContain("GET /services/data/ lists the versions it supports");
  });

  it("the hint's advice works: /services/data/ lists the versions", async () => {
    const { data } = await client("99.0").request<{ version: string }[]>({ path: "/services/data/" });
    expect(data.map((v) => v.version)).toContain("62.0");
    expect(data.map((v) => v.version)).not.toContain("99.0");
  });

  it("a 404 on a version that exists (a missing record) gets no version hint", async () => {
    const error = await client("62.0")
      .sobjects.Account.get("001000000000000AAA")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceResourceNotFound);
    expect((error as Error).message).not.toContain("may not exist on this org");
  });
});
