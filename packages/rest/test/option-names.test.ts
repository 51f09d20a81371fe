import { ConfigurationError, createClient } from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rest } from "../src/index.js";

let org: Emulator;
let sf: ReturnType<typeof client>;

const client = () =>
  createClient({ instanceUrl: org.url, sessionId: org.sessions.create(org.users[0]!).token }).extend(rest());

beforeAll(async () => {
  org = await startEmulator({ port: 0 });
  sf = client();
});
afterAll(async () => {
  await sf.close();
  await org.close();
});

async function refused(call: () => Promise<unknown>): Promise<string> {
  const error = await call().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigurationError);
  expect((error as ConfigurationError).code).toBe("ERR_OPTION_NAME");
  return (error as Error).message;
}

describe("misspelt REST options are refused before the request", () => {
  it("names the option meant, for queries, writes, collections and the plugin itself", async () => {
    const before = org.stats.requests;
    expect(await refused(() => sf.query("SELECT Id FROM Account", { timout: 5000 } as never))).toBe(
      'The GET query call has no option "timout": did you mean "timeout"?',
    );
    expect(await refused(() => sf.queryAll("SELECT Id FROM Account", { maxRecord: 5 } as never))).toContain(
      'did you mean "maxRecords"?',
    );
    expect(
      await refused(() => sf.sobjects.Account.create({ Name: "X" }, { header: { a: "b" } } as never)),
    ).toContain('did you mean "headers"?');
    expect(
      await refused(() => sf.composite.create("Account", [{ Name: "A" }], { allOrNothing: true } as never)),
    ).toContain('has no option "allOrNothing": did you mean "allOrNone"?');
    expect(org.stats.requests).toBe(before);
    expect(() => rest({ queryBatchSise: 500 } as never)).toThrow(
      'rest() has no option "queryBatchSise": did you mean "queryBatchSize"?',
    );
  });

  it("correct options still work", async () => {
    const { id } = await sf.sobjects.Account.create({ Name: "Kept" }, { timeout: 5000 });
    expect((await sf.query(`SELECT Id FROM Account WHERE Id = '${id}'`, { batchSize: 200 })).totalSize).toBe(
      1,
    );
  });
});
