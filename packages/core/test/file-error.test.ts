import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigurationError, fileReadError } from "../src/index.js";

async function fsError(path: string): Promise<unknown> {
  return readFile(path).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("fileReadError", () => {
  it("says 'file not found' and the option, not Node's ENOENT text", async () => {
    const missing = join(tmpdir(), "sfkit-no-such-file.csv");
    const cause = await fsError(missing);
    const error = fileReadError({ path: missing, option: "--file", cause });
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.code).toBe("ERR_FILE_NOT_FOUND");
    expect(error.message.startsWith(`file not found: ${missing} (from --file).`)).toBe(true);
    expect(error.message).not.toContain("ENOENT");
    expect(error.cause).toBe(cause);
  });

  it("names a folder given as a file, and appends the caller's hint", async () => {
    const cause = await fsError(tmpdir());
    const error = fileReadError({
      path: tmpdir(),
      option: "privateKeyFile",
      hint: "It should hold a PEM key.",
      cause,
    });
    expect(error.code).toBe("ERR_FILE_UNREADABLE");
    expect(error.message).toBe(
      `${tmpdir()} (from privateKeyFile) is a folder, not a file: give the path of a file. It should hold a PEM key.`,
    );
  });
});
