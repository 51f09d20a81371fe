// The stored form of a new record: Id first, then the set fields in describe order. Copying a
// record key by key into that order costs a megamorphic store per field, the most expensive
// step of an insert. Records of one object come in few shapes (a bulk upload's rows differ
// only in their empty cells), so each shape's order is compiled once into a function that
// returns an object literal: one allocation of a known shape per row.
import type { FieldDef } from "./schema/types.js";

type Build = (rec: Record<string, unknown>, id: string) => Record<string, unknown>;

/** Compiled shapes per object, beyond which records are ordered field by field. */
const MAX_SHAPES = 512;

export class RecordLayouts {
  private readonly position = new Map<string, number>();
  private readonly words: Int32Array;
  /** Nested by bitmask word: one Map level per 32 fields, the last level holds the builders. */
  private readonly shapes = new Map<number, unknown>();
  private count = 0;

  constructor(private readonly fields: readonly FieldDef[]) {
    fields.forEach((f, i) => {
      if (f.name !== "Id") this.position.set(f.name, i);
    });
    this.words = new Int32Array(Math.max(1, Math.ceil(fields.length / 32)));
  }

  /** `{ Id, ...fields of rec whose value is not undefined, in describe order }`. */
  ordered(rec: Record<string, unknown>, id: string): Record<string, unknown> {
    const words = this.words;
    words.fill(0);
    for (const k in rec) {
      if (rec[k] === undefined) continue;
      const pos = this.position.get(k);
      if (pos !== undefined) words[pos >> 5]! |= 1 << (pos & 31);
    }
    let level = this.shapes;
    for (let w = 0; w < words.length - 1; w++) {
      let next = level.get(words[w]!) as Map<number, unknown> | undefined;
      if (!next) {
        if (this.count >= MAX_SHAPES) return this.slow(rec, id);
        level.set(words[w]!, (next = new Map()));
      }
      level = next;
    }
    const last = words[words.length - 1]!;
    let build = level.get(last) as Build | undefined;
    if (!build) {
      if (this.count >= MAX_SHAPES) return this.slow(rec, id);
      build = this.compile(rec);
      level.set(last, build);
      this.count++;
    }
    return build(rec, id);
  }

  private names(rec: Record<string, unknown>): string[] {
    const out: string[] = [];
    for (const f of this.fields) if (f.name !== "Id" && rec[f.name] !== undefined) out.push(f.name);
    return out;
  }

  private slow(rec: Record<string, unknown>, id: string): Record<string, unknown> {
    const out: Record<string, unknown> = { Id: id };
    for (const name of this.names(rec)) out[name] = rec[name];
    return out;
  }

  private compile(rec: Record<string, unknown>): Build {
    const names = this.names(rec);
    // `__proto__` in a literal would set the prototype; no API name is spelled so, but be safe.
    if (names.includes("__proto__")) return (r, id) => this.slow(r, id);
    const props = names.map((n) => `${JSON.stringify(n)}: r[${JSON.stringify(n)}]`);
    return new Function("r", "id", `return { Id: id, ${props.join(", ")} };`) as Build;
  }
}
