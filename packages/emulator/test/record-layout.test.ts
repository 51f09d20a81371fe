// Stored records keep Id first and then describe order, whatever the shape of the values
// inserted (src/record-layout.ts compiles one builder per shape, up to a cap, then falls back).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, startEmulator } from "../src/index.js";
import { adminToken, call } from "./helpers.js";

const OPTIONAL = [
  "FirstName",
  "Email",
  "Phone",
  "Title",
  "MailingCity",
  "Department",
  "Description",
  "Fax",
  "AssistantName",
  "LeadSource",
];
let org: Org;
let token: string;
beforeAll(async () => {
  org = await startEmulator();
  token = await adminToken(org);
});
afterAll(async () => {
  await org.close();
});

function valuesFor(mask: number, i: number): Record<string, unknown> {
  const values: Record<string, unknown> = { LastName: `Last${i}` };
  // Reverse order on odd rows: the input order must not matter.
  const names = i % 2 ? [...OPTIONAL].reverse() : OPTIONAL;
  for (const name of names) {
    if (mask & (1 << OPTIONAL.indexOf(name)))
      values[name] = name === "Email" ? `p${i}@example.com` : `${name} ${i}`;
  }
  return values;
}

describe("stored record layout", () => {
  it("stores every shape in describe order with exactly the values given (past the compiled-shape cap too)", () => {
    const def = org.schema.get("Contact")!;
    const order = def.fields.map((f) => f.name);
    // 1,024 distinct shapes, each twice: more than the 512 compiled builders.
    for (let round = 0; round < 2; round++) {
      for (let mask = 0; mask < 1 << OPTIONAL.length; mask++) {
        const i = round * 10_000 + mask;
        const values = valuesFor(mask, i);
        const id = org.insert("Contact", values);
        const stored = org.store.get(id)!;
        const keys = Object.keys(stored);
        expect(keys[0]).toBe("Id");
        const rest = keys.slice(1);
        expect(rest).toEqual([...rest].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
        for (const [k, v] of Object.entries(values)) expect(stored[k]).toBe(v);
        for (const name of OPTIONAL) if (!(name in values)) expect(name in stored).toBe(false);
        expect(stored.Name).toBe(
          values.FirstName ? `${values.FirstName} ${values.LastName}` : values.LastName,
        );
      }
    }
  });

  it("renders a record read over REST with the same fields as it was written", async () => {
    const id = org.insert("Contact", { LastName: "Layout", Title: "CTO", FirstName: "Ada" });
    const r = await call(org, `/services/data/v64.0/sobjects/Contact/${id}`, { token });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      Id: id,
      FirstName: "Ada",
      LastName: "Layout",
      Name: "Ada Layout",
      Title: "CTO",
    });
    expect(r.json.Email).toBeNull();
  });
});
