import { Readable } from "node:stream";
import { ConfigurationError } from "@sfkit/core";
import { describe, expect, it } from "vitest";
import { CsvSplitter } from "../src/csv-split.js";
import { formatCell, parseCsvRows, parseErrorCell, recordsToCsv, unionColumns } from "../src/csv.js";

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

async function parts(
  input: string | string[],
  limits: { maxBytes: number; maxRows?: number; lineEnding?: "LF" | "CRLF" },
) {
  const splitter = new CsvSplitter(
    Readable.from((Array.isArray(input) ? input : [input]).map((s) => Buffer.from(s))),
    {
      maxRows: Number.POSITIVE_INFINITY,
      ...limits,
    },
  );
  await splitter.start();
  const out: { text: string; rows: number }[] = [];
  while (await splitter.hasMore()) {
    const part = splitter.nextPart();
    const chunks: Buffer[] = [];
    for await (const chunk of part.body) chunks.push(chunk);
    out.push({ text: Buffer.concat(chunks).toString("utf8"), rows: part.rows });
  }
  return { out, lineEnding: splitter.lineEnding, total: splitter.totalRows };
}

describe("records to CSV (F10, F11)", () => {
  it("F10: null is #N/A, a missing key is an empty cell, the header is the union of all keys", async () => {
    const csv = await text(
      recordsToCsv(
        [
          { Id: "001XX0000000001AAA", Description: null, Phone: "555-0100" },
          { Id: "001XX0000000002AAA", Phone: "555-0101" },
          { Id: "001XX0000000003AAA", Fax: "555-0199" },
        ],
        { delimiter: ",", lineEnding: "\n" },
      ),
    );
    expect(csv).toBe(
      "Id,Description,Phone,Fax\n001XX0000000001AAA,#N/A,555-0100,\n001XX0000000002AAA,,555-0101,\n001XX0000000003AAA,,,555-0199\n",
    );
  });

  it("F11: quotes are doubled; fields with the delimiter, quotes, CR or LF are quoted", async () => {
    const csv = await text(
      recordsToCsv([{ Name: 'Clamp (1/4" wire), POM', Notes: "line1\nline2", Other: "a\rb", Plain: "x" }], {
        delimiter: ",",
        lineEnding: "\n",
      }),
    );
    expect(csv).toBe('Name,Notes,Other,Plain\n"Clamp (1/4"" wire), POM","line1\nline2","a\rb",x\n');
  });

  it("F11 of the same kind: another delimiter is quoted too, and CRLF records are declared", async () => {
    const csv = await text(recordsToCsv([{ A: "x|y", B: "z" }], { delimiter: "|", lineEnding: "\r\n" }));
    expect(csv).toBe('A|B\r\n"x|y"|z\r\n');
  });

  it("writes relationship columns, Dates in ISO-8601 UTC, booleans, numbers and multi-picklists", async () => {
    const csv = await text(
      recordsToCsv(
        [
          {
            attributes: { type: "Contact" },
            LastName: "Smith",
            Account: { Ext__c: "A-1" },
            Birthdate: new Date(Date.UTC(1990, 0, 2, 3, 4, 5)),
            Active__c: true,
            Score__c: 1.5,
            Colors__c: ["red", "blue"],
          },
        ],
        { delimiter: ",", lineEnding: "\n" },
      ),
    );
    expect(csv).toBe(
      "LastName,Account.Ext__c,Birthdate,Active__c,Score__c,Colors__c\nSmith,A-1,1990-01-02T03:04:05.000Z,true,1.5,red;blue\n",
    );
  });

  it("rejects NaN, Infinity and invalid Dates before anything is sent", () => {
    expect(() => formatCell(Number.NaN, "Amount")).toThrow(ConfigurationError);
    expect(() => formatCell(Number.POSITIVE_INFINITY, "Amount")).toThrow(/Amount is Infinity/);
    expect(() => formatCell(new Date("nope"), "Due__c")).toThrow(/invalid Date/);
    expect(() => unionColumns([{ A: 1 }, "x" as unknown as Record<string, unknown>])).toThrow(
      /Record 1 is not an object/,
    );
  });
});

describe("splitting CSV into jobs", () => {
  it("cuts below the byte limit at record boundaries, header first in every part", async () => {
    const input = `Name,Notes\n${Array.from({ length: 10 }, (_, i) => `n${i},"note ${i}"`).join("\n")}\n`;
    const { out, total } = await parts(input, { maxBytes: 50 });
    expect(out.length).toBeGreaterThan(1);
    for (const part of out) {
      expect(part.text.startsWith("Name,Notes\n")).toBe(true);
      expect(Buffer.byteLength(part.text)).toBeLessThanOrEqual(50);
    }
    expect(out.reduce((n, p) => n + p.rows, 0)).toBe(10);
    expect(total).toBe(10);
    expect(out.map((p) => p.text.slice("Name,Notes\n".length)).join("")).toBe(
      input.slice("Name,Notes\n".length),
    );
  });

  it("never cuts inside a quoted field, even when the quoted newline sits at the limit or across chunks", async () => {
    const rows = ['a,"multi\nline\nvalue"', 'b,"x ""quoted"", y"', 'c,"end\r\nwith crlf"'];
    const input = `K,V\n${rows.join("\n")}\n`;
    // one byte at a time: every chunk boundary falls inside fields
    const { out } = await parts([...input], { maxBytes: 30 });
    const bodies = out.map((p) => p.text.slice(4));
    expect(bodies).toEqual(rows.map((r) => `${r}\n`));
    for (const part of out) {
      const parsed = [];
      for await (const row of parseCsvRows(Readable.from([Buffer.from(part.text)]))) parsed.push(row);
      expect(parsed).toHaveLength(1);
    }
  });

  it("splits by rows too", async () => {
    const { out } = await parts("A\n1\n2\n3\n4\n5\n", { maxBytes: 1000, maxRows: 2 });
    expect(out.map((p) => p.rows)).toEqual([2, 2, 1]);
  });

  it("F12: reads the line ending from the header and makes every record use it", async () => {
    const crlf = await parts("A,B\r\n1,2\r\n3,4\n5,6", { maxBytes: 1000 });
    expect(crlf.lineEnding).toBe("CRLF");
    expect(crlf.out[0]!.text).toBe("A,B\r\n1,2\r\n3,4\r\n5,6\r\n");
    const lf = await parts("A,B\n1,2\r\n3,4\n", { maxBytes: 1000 });
    expect(lf.lineEnding).toBe("LF");
    expect(lf.out[0]!.text).toBe("A,B\n1,2\n3,4\n");
    const asked = await parts('A,B\n1,"x\ny"\n', { maxBytes: 1000, lineEnding: "CRLF" });
    // the quoted newline is data and stays as it is; only record terminators change
    expect(asked.out[0]!.text).toBe('A,B\r\n1,"x\ny"\r\n');
  });

  it("drops a BOM and blank lines; an empty input is a ConfigurationError", async () => {
    const { out } = await parts("\uFEFFA\n\n1\n\n2\n", { maxBytes: 1000 });
    expect(out[0]!.text).toBe("A\n1\n2\n");
    expect(out[0]!.rows).toBe(2);
    await expect(parts("", { maxBytes: 10 })).rejects.toThrow(ConfigurationError);
    const headerOnly = await parts("A,B\n", { maxBytes: 10 });
    expect(headerOnly.out).toEqual([]);
  });
});

describe("reading results", () => {
  it("F13: parses CSV results by header; a header-only body is []", async () => {
    const rows = [];
    for await (const row of parseCsvRows(
      Readable.from([
        Buffer.from(
          '"sf__Id","sf__Error",Name\n"","REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --","Acme"\n',
        ),
      ]),
    )) {
      rows.push(row);
    }
    expect(rows).toEqual([
      {
        sf__Id: "",
        sf__Error: "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --",
        Name: "Acme",
      },
    ]);
    const none = [];
    for await (const row of parseCsvRows(Readable.from([Buffer.from('"sf__Id","sf__Created"\n')])))
      none.push(row);
    expect(none).toEqual([]);
  });

  it("reads Bulk 1.0 error cells", () => {
    expect(
      parseErrorCell("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --"),
    ).toEqual([
      {
        statusCode: "REQUIRED_FIELD_MISSING",
        message: "Required fields are missing: [LastName]",
        fields: ["LastName"],
      },
    ]);
    expect(parseErrorCell("INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--")).toEqual([
      { statusCode: "INVALID_CROSS_REFERENCE_KEY", message: "invalid cross reference id", fields: [] },
    ]);
    expect(parseErrorCell("")).toEqual([]);
  });
});

describe("F16: results are streamed, not buffered", () => {
  it("reads the body only as fast as rows are consumed, every row once, one end", async () => {
    let produced = 0;
    const rowsTotal = 200_000;
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from('"Id","Name"\n');
      for (let i = 0; i < rowsTotal; i += 1000) {
        let chunk = "";
        for (let j = i; j < i + 1000; j++) chunk += `"id${j}","name ${j}"\n`;
        produced += 1000;
        yield Buffer.from(chunk);
      }
    }
    let consumed = 0;
    let maxAhead = 0;
    let last = "";
    for await (const row of parseCsvRows(body())) {
      consumed++;
      last = row.Id!;
      maxAhead = Math.max(maxAhead, produced - consumed);
    }
    expect(consumed).toBe(rowsTotal);
    expect(last).toBe(`id${rowsTotal - 1}`);
    // the source never runs more than a few chunks ahead of the consumer
    expect(maxAhead).toBeLessThan(50_000);
  });

  it("stops reading the source when the consumer stops", async () => {
    let produced = 0;
    let closed = false;
    async function* body(): AsyncGenerator<Buffer> {
      try {
        yield Buffer.from("A\n");
        for (let i = 0; i < 1_000_000; i++) {
          produced++;
          yield Buffer.from(`${i}\n`.repeat(100));
        }
      } finally {
        closed = true;
      }
    }
    let seen = 0;
    for await (const _ of parseCsvRows(body())) {
      if (++seen === 10) break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toBe(10);
    expect(produced).toBeLessThan(1000);
    expect(closed).toBe(true);
  });

  it("a broken body ends the rows with its error, never silently", async () => {
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from("A\n1\n");
      throw new Error("connection reset");
    }
    const rows: unknown[] = [];
    await expect(
      (async () => {
        for await (const row of parseCsvRows(body())) rows.push(row);
      })(),
    ).rejects.toThrow("connection reset");
  });
});
