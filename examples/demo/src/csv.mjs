// Writes a generated Contact CSV for the Bulk 2.0 part of the demo, streamed to a file.
import { once } from "node:events";
import { createWriteStream } from "node:fs";

const FIRST = [
  "Ada",
  "Brad",
  "Carla",
  "Dev",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kemi",
  "Luis",
];
const LAST = [
  "Holmes",
  "Martin",
  "Walker",
  "Nguyen",
  "Okafor",
  "Rossi",
  "Schmidt",
  "Tanaka",
  "Usman",
  "Vega",
];

/** The Department every generated row carries, so the demo can read exactly them back. */
export const BULK_TAG = "sfkit bulk demo";

/** Writes `rows` Contacts (header + rows, LF endings) to `path`; returns its size in bytes. */
export async function writeContactsCsv(path, rows, runId) {
  const out = createWriteStream(path, { encoding: "utf8" });
  let bytes = 0;
  const put = async (text) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await put("FirstName,LastName,Email,Phone,Department,Title\n");
  let chunk = "";
  for (let i = 1; i <= rows; i += 1) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    // A comma and a quote in some titles: the CSV is quoted the RFC 4180 way.
    const title = i % 10 === 0 ? `"Broker, ""senior"""` : "Agent";
    chunk += `${first},${last} ${i},${first.toLowerCase()}.${i}.${runId}@example.com,617-555-${String(i % 10000).padStart(4, "0")},${BULK_TAG},${title}\n`;
    if (chunk.length > 64_000) {
      await put(chunk);
      chunk = "";
    }
  }
  if (chunk) await put(chunk);
  out.end();
  await once(out, "finish");
  return bytes;
}
