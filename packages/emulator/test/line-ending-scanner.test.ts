import { describe, expect, it } from "vitest";
import { LineEndingScanner } from "../src/bulk/bulk-csv.js";

/** The byte-at-a-time scanner the emulator used before: the definition the fast one must match. */
function referenceCounts(chunks: Buffer[]) {
  let inQuotes = false;
  let lastByte = -1;
  let pendingContent = false;
  const out = { crlf: 0, lf: 0, records: 0, bytes: 0 };
  for (const chunk of chunks) {
    out.bytes += chunk.length;
    for (const b of chunk) {
      if (b === 0x22) inQuotes = !inQuotes;
      else if (b === 0x0a && !inQuotes) {
        if (lastByte === 0x0d) out.crlf++;
        else out.lf++;
        if (pendingContent) out.records++;
        pendingContent = false;
        lastByte = b;
        continue;
      }
      if (b !== 0x0d) pendingContent = true;
      lastByte = b;
    }
  }
  if (pendingContent) out.records++;
  return out;
}

function scan(chunks: Buffer[]) {
  const scanner = new LineEndingScanner();
  for (const chunk of chunks) scanner.push(chunk);
  scanner.finish();
  return { crlf: scanner.crlf, lf: scanner.lf, records: scanner.records, bytes: scanner.bytes };
}

/** A small seeded generator, so a failure names an input that can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

/** Cuts `bytes` at random places (empty chunks included), or leaves it whole. */
function randomChunks(bytes: Buffer, next: (below: number) => number): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = next(4) === 0 ? bytes.length : next(8);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe("LineEndingScanner", () => {
  it("counts CRLF and LF terminators outside quotes, and records with content", () => {
    expect(scan([Buffer.from('Name,Notes\r\nA,"two\r\nlines"\r\n\r\nB,x')])).toEqual({
      crlf: 3,
      lf: 0,
      records: 3,
      bytes: 33,
    });
    expect(scan([Buffer.from("Name\nA\r\nB\n")])).toMatchObject({ crlf: 1, lf: 2, records: 3 });
  });

  it("sees a CR at the end of one chunk and the LF at the start of the next as one CRLF", () => {
    expect(scan([Buffer.from("Name\r"), Buffer.from("\nA\r"), Buffer.from("\n")])).toMatchObject({
      crlf: 2,
      lf: 0,
      records: 2,
    });
  });

  it("agrees with the byte-at-a-time definition on random CSV cut into random chunks", () => {
    const alphabet = ['"', '"', "\n", "\r", "\r\n", ",", "a", "bc", '""'];
    for (let seed = 1; seed <= 2000; seed++) {
      const next = random(seed);
      let text = "";
      const length = next(40);
      for (let i = 0; i < length; i++) text += alphabet[next(alphabet.length)];
      const bytes = Buffer.from(text);
      const chunks = randomChunks(bytes, next);
      const expected = referenceCounts(chunks);
      const actual = scan(chunks);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(
          `seed ${seed}: ${JSON.stringify(text)} → ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
        );
      }
      expect(actual).toEqual(expected);
    }
  });
});
