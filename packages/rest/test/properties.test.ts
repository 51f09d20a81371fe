// Property-based tests: whatever the value, formatSoql / soql write a literal that the
// emulator's SOQL parser reads back as exactly that value (no injection, no corruption).
import { soapLogin } from "@sfkit/auth-soap";
import { createClient } from "@sfkit/core";
import { type Emulator, startEmulator } from "@sfkit/emulator";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSoql, rest, soql, soqlLike } from "../src/index.js";

let org: Emulator;
let sf: ReturnType<typeof connect>;
let counter = 0;

function connect() {
  const user = org.users[0]!;
  return createClient({
    auth: soapLogin({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      loginUrl: org.loginUrl,
    }),
  }).extend(rest());
}

beforeAll(async () => {
  org = await startEmulator({
    port: 0,
    schema: [
      { name: "Prop__c", fields: [{ name: "Code__c", type: "string", length: 40, externalId: true }] },
    ],
  });
  sf = connect();
});
afterAll(async () => {
  await sf?.close();
  await org?.close();
});

/** Text with the characters that break naive quoting: quotes, backslashes, controls, LIKE wildcards, URL syntax. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "'",
      '"',
      "\\",
      "\n",
      "\r",
      "\t",
      "\b",
      "\f",
      "%",
      "_",
      "+",
      "&",
      "#",
      "?",
      "=",
      ":",
      "/",
      " ",
      "{",
      "}",
      "*",
    ),
    fc.constantFrom("a", "B", "z", "0", "9", "é", "ß", "中", "😀"),
  ),
  minLength: 1,
  maxLength: 30,
});

const fresh = () => `P${++counter}`;

describe("formatSoql round-trips through the emulator's SOQL parser", () => {
  it("a string compared with = finds exactly the record holding it", async () => {
    await fc.assert(
      fc.asyncProperty(tricky, async (name) => {
        const code = fresh();
        org.insert("Prop__c", { Name: name, Code__c: code });
        const result = await sf.query(
          formatSoql("SELECT Name FROM Prop__c WHERE Name = :name AND Code__c = :code", { name, code }),
        );
        expect(result.records.map((r) => r.Name)).toEqual([name]);
      }),
      { numRuns: 40 },
    );
  });

  it("LIKE with escaped wildcards matches the literal text only", async () => {
    await fc.assert(
      fc.asyncProperty(tricky, async (name) => {
        const code = fresh();
        org.insert("Prop__c", { Name: name, Code__c: code });
        // A decoy where every % and _ of the value is another character: escaped wildcards must not match it.
        const decoy = name.replace(/[%_]/g, "x");
        if (decoy !== name) org.insert("Prop__c", { Name: decoy, Code__c: code });
        const exact = await sf.query(
          soql`SELECT Name FROM Prop__c WHERE Name LIKE ${soqlLike(name, "exact")} AND Code__c = ${code}`,
        );
        expect(exact.records.map((r) => r.Name)).toEqual([name]);
        const contains = await sf.query(
          formatSoql("SELECT Name FROM Prop__c WHERE Name LIKE '%:name:like%' AND Code__c = :code", {
            name,
            code,
          }),
        );
        expect(contains.records.map((r) => r.Name)).toEqual([name]);
      }),
      { numRuns: 30 },
    );
  });

  it("IN lists keep every item intact", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(tricky, { minLength: 1, maxLength: 5, selector: (s) => s.toLowerCase() }),
        async (names) => {
          const code = fresh();
          for (const name of names) org.insert("Prop__c", { Name: name, Code__c: code });
          const result = await sf.query(
            soql`SELECT Name FROM Prop__c WHERE Name IN ${names} AND Code__c = ${code}`,
          );
          expect(result.records.map((r) => r.Name).sort()).toEqual([...names].sort());
        },
      ),
      { numRuns: 20 },
    );
  });

  it("every Date is a dateTime literal the parser accepts, compared in UTC", async () => {
    const code = fresh();
    org.insert("Prop__c", { Name: "dated", Code__c: code });
    const created = (
      await sf.query<{ CreatedDate: string }>(soql`SELECT CreatedDate FROM Prop__c WHERE Code__c = ${code}`)
    ).records[0]!.CreatedDate;
    const createdMs = Date.parse(created.replace(/\+0000$/, "Z"));
    await fc.assert(
      fc.asyncProperty(
        fc.date({
          min: new Date("1971-01-01T00:00:00Z"),
          max: new Date("2199-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        async (when) => {
          const result = await sf.query(
            soql`SELECT Id FROM Prop__c WHERE Code__c = ${code} AND CreatedDate < ${when}`,
          );
          expect(result.totalSize).toBe(createdMs < when.getTime() ? 1 : 0);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("escapeSosl round-trips through the emulator's SOSL parser", () => {
  const reservedOrText = fc.string({
    unit: fc.oneof(
      fc.constantFrom(..."?&|!{}[]()^~*:\\\"'+-".split(""), " "),
      fc.constantFrom("a", "k", "7", "é"),
    ),
    minLength: 1,
    maxLength: 20,
  });

  it("any term, reserved characters included, is one well-formed search that finds its record", async () => {
    await fc.assert(
      fc.asyncProperty(reservedOrText, async (noise) => {
        const marker = `zq${++counter}x`;
        const text = `${marker}${noise}`;
        org.insert("Contact", { LastName: text });
        const found = await sf.quickSearch(text, { in: "NAME", returning: "Contact(Id, LastName)" });
        expect(found?.searchRecords.map((r) => r.LastName)).toContain(text);
      }),
      { numRuns: 40 },
    );
  });
});
