import { ConfigurationError } from "@sfkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulk } from "../src/index.js";
import { clientFor, type Org, startOrg } from "./helpers.js";

let org: Org;
let sf: ReturnType<typeof clientFor>;

beforeAll(async () => {
  org = await startOrg();
  sf = clientFor(org);
});
afterAll(async () => {
  await sf.close();
  await org.close();
});

async function refused(call: () => Promise<unknown> | AsyncGenerator<unknown>): Promise<string> {
  const error = await (async () => {
    const started = call();
    if (Symbol.asyncIterator in started) await (started as AsyncGenerator<unknown>).next();
    else await started;
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigurationError);
  expect((error as ConfigurationError).code).toBe("ERR_OPTION_NAME");
  return (error as Error).message;
}

async function ingestJobs(): Promise<number> {
  const { data } = await sf.request<{ records: unknown[] }>({ path: "jobs/ingest" });
  return data.records.length;
}

describe("misspelt Bulk options are refused before any job is created", () => {
  it("Bulk 2.0 ingest names the option meant", async () => {
    const before = await ingestJobs();
    const csv = "Ext__c,Size__c\nA,1\n";
    expect(
      await refused(() => sf.bulk2.sobject("Widget__c").upsert({ csv, extIdField: "Ext__c" } as never)),
    ).toBe('bulk2.Widget__c.upsert() has no option "extIdField": did you mean "externalIdField"?');
    expect(
      await refused(() =>
        sf.bulk2.sobject("Widget__c").upsert({ csv, externalIdFieldName: "Ext__c" } as never),
      ),
    ).toContain('did you mean "externalIdField"?');
    expect(
      await refused(() => sf.bulk2.Account.insert({ csv: "Name\nA\n", lineEndings: "LF" } as never)),
    ).toContain('has no option "lineEndings": did you mean "lineEnding"?');
    expect(
      await refused(() =>
        sf.bulk2.Account.insert({ records: [{ Name: "A" }], columnDelimeter: "COMMA" } as never),
      ),
    ).toContain('did you mean "columnDelimiter"?');
    expect(await ingestJobs()).toBe(before);
  });

  it("Bulk 2.0 query and resume, Bulk 1.0 DML, query and resume, and the plugin's own options", async () => {
    expect(
      await refused(() => sf.bulk2.Account.query("SELECT Id FROM Account", { maxRecord: 10 } as never)),
    ).toBe('bulk2 query() has no option "maxRecord": did you mean "maxRecords"?');
    expect(
      await refused(() => sf.bulk2.resume("750000000000000AAA", { result: "failed" } as never)),
    ).toContain('did you mean "results"?');
    expect(await refused(() => sf.bulk.Account.insert([{ Name: "A" }], { batchsize: 10 } as never))).toBe(
      'bulk.Account.insert() has no option "batchsize": did you mean "batchSize"?',
    );
    expect(await refused(() => sf.bulk.Account.insert([], { useSerail: true } as never))).toContain(
      'did you mean "useSerial"?',
    );
    expect(
      await refused(() => sf.bulk.Account.query("SELECT Id FROM Account", { pkChunkng: true } as never)),
    ).toContain('did you mean "pkChunking"?');
    expect(await refused(() => sf.bulk.resume("750000000000000AAA", { pollTimout: 5 } as never))).toContain(
      'did you mean "pollTimeout"?',
    );
    expect(() => bulk({ pollIntervall: 5 } as never)).toThrow(
      'bulk() has no option "pollIntervall": did you mean "pollInterval"?',
    );
  });

  it("keys that resemble no option still pass, and the calls work", async () => {
    const result = await sf.bulk2.Account.insert({ records: [{ Name: "Kept" }], note: "mine" } as never);
    expect(result.successful).toHaveLength(1);
  });
});
