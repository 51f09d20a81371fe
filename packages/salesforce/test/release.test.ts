import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The release pipeline: `changeset status` passes, and a `changeset version` dry run in a
// temporary copy of the workspace gives the versions and changelogs the changesets ask for.

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const changesetBin = join(root, "node_modules", "@changesets", "cli", "bin.js");
type Bump = "major" | "minor" | "patch";

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function workspaceDirs(): string[] {
  const dirs: string[] = [];
  for (const parent of ["packages", "examples"]) {
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(root, parent, entry.name, "package.json"))) {
        dirs.push(`${parent}/${entry.name}`);
      }
    }
  }
  if (existsSync(join(root, "bench", "package.json"))) dirs.push("bench");
  return dirs;
}

function readManifest(dir: string, base = root): Manifest {
  return JSON.parse(readFileSync(join(base, dir, "package.json"), "utf8")) as Manifest;
}

/** The changesets in .changeset/: package → bumps, and the summaries. */
function readChangesets(): Array<{ file: string; bumps: Record<string, Bump>; summary: string }> {
  const dir = join(root, ".changeset");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file !== "README.md")
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
      if (!match) throw new Error(`${file} is not a changeset (front matter missing)`);
      const bumps: Record<string, Bump> = {};
      for (const line of match[1]!.split(/\r?\n/)) {
        const entry = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
        if (entry) bumps[entry[1]!] = entry[2] as Bump;
      }
      return { file, bumps, summary: match[2]!.trim() };
    });
}

function bump(version: string, type: Bump): string {
  const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
  if (type === "major") return `${major + 1}.0.0`;
  if (type === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const ORDER: Bump[] = ["patch", "minor", "major"];
const config = JSON.parse(readFileSync(join(root, ".changeset", "config.json"), "utf8")) as {
  ignore?: string[];
};
const dirs = workspaceDirs();
const before = new Map(dirs.map((dir) => [dir, readManifest(dir)]));
const changesets = readChangesets();
const publishable = [...before.values()].filter((m) => !m.private && !(config.ignore ?? []).includes(m.name));

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "sfkit-release-"));
  for (const file of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, file), join(copy, file));
  cpSync(join(root, ".changeset"), join(copy, ".changeset"), { recursive: true });
  for (const dir of dirs) {
    cpSync(join(root, dir, "package.json"), join(copy, dir, "package.json"));
    if (existsSync(join(root, dir, "CHANGELOG.md")))
      cpSync(join(root, dir, "CHANGELOG.md"), join(copy, dir, "CHANGELOG.md"));
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  // changesets reads the repository through git.
  const git = (...args: string[]) => execFileSync("git", args, { cwd: copy, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.email=release@sfkit.test", "-c", "user.name=release-test", "commit", "-q", "-m", "copy");
  execFileSync(process.execPath, [changesetBin, "version"], { cwd: copy, stdio: "pipe" });
}, 60_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe("release", () => {
  it("`changeset status` passes on the repository", () => {
    const output = execFileSync(process.execPath, [changesetBin, "status"], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    });
    expect(output).toMatch(/Packages to be bumped|NO packages to be bumped/);
  });

  it("every publishable package not yet released (no CHANGELOG.md) has a changeset", () => {
    const covered = new Set(changesets.flatMap((c) => Object.keys(c.bumps)));
    const released = new Set(
      dirs.filter((dir) => existsSync(join(root, dir, "CHANGELOG.md"))).map((dir) => before.get(dir)!.name),
    );
    const missing = publishable
      .map((m) => m.name)
      .filter((name) => !covered.has(name) && !released.has(name));
    expect(missing, `add a changeset (.changeset/<pkg>-*.md) for ${missing.join(", ")}`).toEqual([]);
  });

  it("every changeset names workspace packages that can be released", () => {
    const names = new Set([...before.values()].map((m) => m.name));
    for (const { file, bumps } of changesets) {
      expect(Object.keys(bumps).length, `${file} names no package`).toBeGreaterThan(0);
      for (const name of Object.keys(bumps)) {
        expect(names.has(name), `${file} names ${name}, which is not in the workspace`).toBe(true);
        expect(config.ignore ?? [], `${file} names ${name}, which changesets ignores`).not.toContain(name);
      }
    }
  });

  it("each package gets exactly the bump its changesets ask for; no surprise majors", () => {
    const wanted = new Map<string, Bump>();
    for (const { bumps } of changesets) {
      for (const [name, type] of Object.entries(bumps)) {
        const previous = wanted.get(name);
        if (!previous || ORDER.indexOf(type) > ORDER.indexOf(previous)) wanted.set(name, type);
      }
    }
    for (const dir of dirs) {
      const old = before.get(dir)!;
      const now = readManifest(dir, copy);
      const type = wanted.get(old.name);
      if (type) {
        expect(`${old.name}@${now.version}`).toBe(`${old.name}@${bump(old.version, type)}`);
      } else if (old.private || (config.ignore ?? []).includes(old.name)) {
        expect(`${old.name}@${now.version}`).toBe(`${old.name}@${old.version}`);
      } else {
        // No changeset of its own: at most a patch, for a dependency's new version.
        expect([old.version, bump(old.version, "patch")]).toContain(now.version);
      }
    }
  });

  it("internal dependency ranges still accept the new versions", () => {
    const versions = new Map(
      dirs.map((dir) => [readManifest(dir, copy).name, readManifest(dir, copy).version]),
    );
    for (const dir of dirs) {
      const now = readManifest(dir, copy);
      for (const [name, range] of Object.entries({ ...now.dependencies, ...now.peerDependencies })) {
        const version = versions.get(name);
        if (!version || !range.startsWith("workspace:")) continue;
        const spec = range.slice("workspace:".length);
        if (spec === "*" || spec === "^" || spec === "~") continue;
        const [major, minor] = version.split(".").map(Number) as [number, number];
        if (spec.startsWith(">=")) {
          const [low, high] = spec.split(/\s+/);
          expect(
            compare(version, low!.slice(2)),
            `${now.name}: ${name} ${spec} vs ${version}`,
          ).toBeGreaterThanOrEqual(0);
          if (high?.startsWith("<")) expect(compare(version, high.slice(1))).toBeLessThan(0);
        } else if (spec.startsWith("^")) {
          const [lowMajor, lowMinor] = spec.slice(1).split(".").map(Number) as [number, number];
          expect(
            major === lowMajor && (major > 0 || minor === lowMinor),
            `${now.name}: ${name} ${spec} vs ${version}`,
          ).toBe(true);
        }
      }
    }
  });

  it("changelogs name the new version and carry each changeset's summary; the changesets are consumed", () => {
    for (const dir of dirs) {
      const old = before.get(dir)!;
      const now = readManifest(dir, copy);
      if (now.version === old.version) continue;
      const changelog = readFileSync(join(copy, dir, "CHANGELOG.md"), "utf8");
      expect(changelog.startsWith(`# ${old.name}\n`)).toBe(true);
      expect(changelog).toContain(`## ${now.version}`);
      for (const { bumps, summary } of changesets) {
        if (!bumps[old.name]) continue;
        // changesets runs the summary through prettier (which escapes _ and *): compare the words.
        const words = (text: string) => text.replace(/\\/g, "").replace(/\s+/g, " ");
        expect(words(changelog)).toContain(words(summary.split("\n")[0]!).slice(0, 120));
        const heading = {
          major: "### Major Changes",
          minor: "### Minor Changes",
          patch: "### Patch Changes",
        }[bumps[old.name]!];
        expect(changelog).toContain(heading);
      }
    }
    const left = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(left).toEqual([]);
    // The repository itself is untouched by the dry run.
    expect(readChangesets().length).toBe(changesets.length);
    writeFileSync(join(copy, ".done"), "");
  });
});

function compare(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < 3; i += 1) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
