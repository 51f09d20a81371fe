// Property-based tests against the emulator's own parsers: XML (core's escapeXml/parseXml and
// the SOAP login envelope), bulk CSV (writer and reader, both APIs), URL building (query
// strings and Apex paths) and external id paths. Nothing injected, nothing corrupted, round
// trips exact. (SOQL literals and SOSL escaping: packages/rest/test/properties.test.ts.)
import { loginEnvelope, soapLogin } from "@sfkit/auth-soap";
import { buildUrl, createClient, encodeQuery, escapeXml, parseXml, xmlText } from "@sfkit/core";
import {
  escapeXml as emulatorEscapeXml,
  parseXml as emulatorParseXml,
  type Emulator,
  startEmulator,
} from "@sfkit/emulator";
import { rest } from "@sfkit/rest";
import { Salesforce } from "@sfkit/salesforce";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let org: Emulator;
let sf: Salesforce;

beforeAll(async () => {
  org = await startEmulator({
    port: 0,
    schema: [
      {
        name: "Prop__c",
        fields: [
          { name: "Code__c", type: "string", length: 255, externalId: true, unique: true },
          { name: "Text__c", type: "textarea", length: 32000 },
        ],
      },
    ],
    bulk: { processingDelayMs: 1 },
  });
  const user = org.users[0]!;
  sf = new Salesforce({
    username: user.username,
    password: user.password,
    securityToken: user.securityToken,
    loginUrl: org.loginUrl,
    bulk: { pollInterval: 5, maxPollInterval: 20 },
  });
  org.apex.route("GET", "/Echo/*", (req) => ({ path: req.path, wildcard: req.wildcard, params: req.params }));
});
afterAll(async () => {
  await sf?.close();
  await org?.close();
});

/** Characters XML 1.0 can carry (no C0 controls but TAB, LF, CR; no lone surrogates). */
const xmlChar = fc.oneof(
  fc.constantFrom(
    "&",
    "<",
    ">",
    '"',
    "'",
    "]]>",
    "&amp;",
    "&#13;",
    "\r",
    "\n",
    "\r\n",
    "\t",
    " ",
    "<!--",
    "<![CDATA[",
    "/",
  ),
  fc.constantFrom("a", "Z", "0", "é", "ß", "中", "😀", "\u00a0", "\u2028"),
);
const xmlText_ = fc.string({ unit: xmlChar, maxLength: 40 });

/** Text with what breaks naive CSV: delimiters, quotes, line breaks, leading/trailing spaces. */
const csvText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(",", '"', "\n", "\r\n", "\r", "\t", " ", ";", "|", "`", "^", "#", "N/A", "'", "\\"),
      fc.constantFrom("a", "Z", "0", "é", "中", "😀"),
    ),
    minLength: 1,
    maxLength: 30,
  })
  // "#N/A" is Bulk's null marker and an empty cell leaves a field as it is: both by design.
  .filter((s) => s !== "#N/A" && s.trim() !== "");

/** Anything a user may put in a URL: reserved and percent signs, spaces, unicode. */
const urlText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      "/",
      "?",
      "#",
      "&",
      "=",
      "+",
      "%",
      "%2F",
      "%25",
      " ",
      ";",
      ",",
      ":",
      "@",
      "..",
      "\\",
      "'",
      '"',
    ),
    fc.constantFrom("a", "Z", "0", "é", "中", "😀", "-", "_", "."),
  ),
  minLength: 1,
  maxLength: 30,
});

describe("XML escaping", () => {
  it("core's escapeXml read by the emulator's parser gives the text back exactly, and no element is injected", () => {
    fc.assert(
      fc.property(xmlText_, (text) => {
        const doc = emulatorParseXml(`<a><b>${escapeXml(text)}</b></a>`);
        expect(doc.children).toHaveLength(1);
        expect(doc.children[0]!.text).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("escapeXml leaves no raw carriage return (a conforming XML parser turns it into a line feed)", () => {
    fc.assert(
      fc.property(xmlText_, (text) => {
        expect(escapeXml(text)).not.toContain("\r");
      }),
      { numRuns: 200 },
    );
  });

  it("the emulator's escapeXml read by core's parseXml gives the text back exactly", () => {
    fc.assert(
      fc.property(xmlText_, (text) => {
        const doc = parseXml(`<a><b>${emulatorEscapeXml(text)}</b></a>`);
        expect((doc.a as Record<string, unknown>).b).toBe(text);
        expect(xmlText(`<a><b>${emulatorEscapeXml(text)}</b></a>`, "b")).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("the SOAP login envelope carries any username and password as text, never as markup", () => {
    fc.assert(
      fc.property(xmlText_, xmlText_, (username, password) => {
        const xml = loginEnvelope({ username, password, client: "sfkit" });
        const root = emulatorParseXml(xml);
        const all: string[] = [];
        const walk = (e: { name: string; children: { name: string; children: unknown[] }[] }) => {
          all.push(e.name);
          for (const c of e.children) walk(c as never);
        };
        walk(root as never);
        expect(all.filter((n) => n.endsWith("username"))).toHaveLength(1);
        expect(all.filter((n) => n.endsWith("password"))).toHaveLength(1);
        const find = (name: string) => xml.match(new RegExp(`<urn:${name}>([\\s\\S]*?)</urn:${name}>`))![1]!;
        expect(emulatorParseXml(`<x>${find("username")}</x>`).text).toBe(username);
        expect(emulatorParseXml(`<x>${find("password")}</x>`).text).toBe(password);
      }),
      { numRuns: 200 },
    );
  });

  it("a user whose password is any XML text logs in over SOAP; the same text with one character changed does not", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        xmlText_.filter((p) => p.length >= 1),
        async (password) => {
          const username = `xml${++n}x${Date.now()}@sfkit.test`;
          org.addUser({ username, password, securityToken: "TOKEN123" });
          const ok = createClient({
            auth: soapLogin({ username, password, securityToken: "TOKEN123", loginUrl: org.loginUrl }),
          });
          const bad = createClient({
            auth: soapLogin({
              username,
              password: `${password}x`,
              securityToken: "TOKEN123",
              loginUrl: org.loginUrl,
            }),
          });
          try {
            expect((await ok.session()).accessToken).toMatch(/^00D/);
            await expect(bad.session()).rejects.toMatchObject({ name: "SalesforceAuthenticationFailed" });
          } finally {
            await ok.close();
            await bad.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe("bulk CSV writer and reader", () => {
  it("Bulk 2.0: any text reaches the store exactly, and the results echo it exactly", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(csvText, { minLength: 1, maxLength: 25 }), async (texts) => {
        const prefix = `b2r${++run}x`;
        const records = texts.map((text, i) => ({ Code__c: `${prefix}${i}`, Text__c: text }));
        const result = await sf.bulk2.sobject("Prop__c").insert({ records });
        expect(result.failed).toEqual([]);
        expect(result.successful).toHaveLength(texts.length);
        for (const row of result.successful) {
          const i = Number(String(row.Code__c).slice(prefix.length));
          expect(row.Text__c).toBe(texts[i]);
          expect(org.store.get(String(row.sf__Id))?.Text__c).toBe(texts[i]);
        }
      }),
      { numRuns: 10 },
    );
  });

  it("Bulk 1.0 (CSV batches): any text reaches the store exactly", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(csvText, { minLength: 1, maxLength: 25 }), async (texts) => {
        const prefix = `b1r${++run}x`;
        const records = texts.map((text, i) => ({ Code__c: `${prefix}${i}`, Text__c: text }));
        const results = await sf.bulk.sobject("Prop__c").insert(records, { contentType: "CSV" });
        expect(results.map((r) => r.success)).toEqual(texts.map(() => true));
        for (const [i, r] of results.entries()) expect(org.store.get(r.id!)?.Text__c).toBe(texts[i]);
      }),
      { numRuns: 10 },
    );
  });

  it("Bulk 2.0 query: any stored text is read back exactly", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(csvText, { minLength: 1, maxLength: 25 }), async (texts) => {
        const prefix = `q2r${++run}x`;
        const ids = texts.map((text, i) =>
          org.insert("Prop__c", { Code__c: `${prefix}${i}`, Text__c: text }),
        );
        const rows: Record<string, string>[] = [];
        for await (const row of sf.bulk2
          .sobject("Prop__c")
          .query(`SELECT Id, Code__c, Text__c FROM Prop__c WHERE Code__c LIKE '${prefix}%'`))
          rows.push(row);
        expect(rows).toHaveLength(texts.length);
        for (const row of rows)
          expect(row.Text__c).toBe(
            texts[ids.indexOf(row.Id!)] ??
              texts[ids.map((x) => x.slice(0, 15)).indexOf(row.Id!.slice(0, 15))],
          );
      }),
      { numRuns: 8 },
    );
  });
});

describe("URL building", () => {
  it("encodeQuery: the emulator decodes every key and value exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(urlText, urlText, async (key, value) => {
        const echoed = await sf.apex.get<{ params: Record<string, string> }>("Echo/x", {
          params: { [key]: value, after: "end" },
        });
        expect(echoed.params[key]).toBe(value);
        expect(echoed.params.after).toBe("end");
      }),
      { numRuns: 40 },
    );
  });

  it("buildUrl: a query is appended once, after any query the path already has", () => {
    fc.assert(
      fc.property(urlText, urlText, (value, existing) => {
        const url = new URL(
          buildUrl(
            "https://x.my.salesforce.com",
            "64.0",
            `/services/apexrest/a?pre=${encodeURIComponent(existing)}`,
            {
              q: value,
            },
          ),
        );
        expect(url.searchParams.get("pre")).toBe(existing);
        expect(url.searchParams.get("q")).toBe(value);
        expect(url.pathname).toBe("/services/apexrest/a");
        expect(encodeQuery({ q: value })).toBe(`q=${encodeURIComponent(value)}`);
      }),
      { numRuns: 300 },
    );
  });

  it("an external id with any characters upserts and reads back that one record (the value is one path segment)", async () => {
    const client = createClient({
      auth: soapLogin({
        username: org.users[0]!.username,
        password: org.users[0]!.password,
        securityToken: org.users[0]!.securityToken,
        loginUrl: org.loginUrl,
      }),
    }).extend(rest());
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          urlText.filter((v) => v.trim() === v && v !== "." && v !== ".."),
          async (raw) => {
            const value = `${++run}${raw}`;
            const obj = client.sobject("Prop__c");
            const first = await obj.upsert(["Code__c", value], { Text__c: "one" });
            expect(first).toBe(201);
            expect(await obj.upsert(["Code__c", value], { Text__c: "two" })).not.toBe(201);
            const read = await obj.getByCustomId("Code__c", value);
            expect(read.Code__c).toBe(value);
            expect(read.Text__c).toBe("two");
            expect(
              org.query(`SELECT COUNT() FROM Prop__c WHERE Text__c = 'two' AND Id = '${read.Id}'`).totalSize,
            ).toBe(1);
          },
        ),
        { numRuns: 30 },
      );
    } finally {
      await client.close();
    }
  });
});
