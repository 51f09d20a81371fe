// The CSV file of the bulk cases: Contacts, about 100 bytes a row, written once and reused.
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CSV_HEADER = "FirstName,LastName,Email,Phone,Title,MailingCity,Description\n";

export const csvRow = (i) =>
  `First${i},Last${i},person${i}@example.com,+1 415 555 ${String(i % 10000).padStart(4, "0")},Engineer,Boston,Bench row ${i}\n`;

/** Writes (or reuses) a CSV file with `rows` data rows; resolves with its path and size. */
export async function contactsCsv(rows) {
  const dir = join(tmpdir(), "sfkit-bench");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `contacts-${rows}.csv`);
  if (!existsSync(file)) {
    const out = createWriteStream(`${file}.part`);
    if (!out.write(CSV_HEADER)) await once(out, "drain");
    for (let i = 1; i <= rows; i++) if (!out.write(csvRow(i))) await once(out, "drain");
    out.end();
    await once(out, "finish");
    const { renameSync } = await import("node:fs");
    renameSync(`${file}.part`, file);
  }
  return { file, bytes: statSync(file).size, dir };
}
