import { COMMANDS, TOPIC_SUMMARIES } from "../registry.js";
import type { CommandDef, Flags } from "./command.js";
import { allFlags } from "./parse.js";

function pad(text: string, width: number): string {
  return text.length >= width ? `${text}  ` : text.padEnd(width);
}

export function rootHelp(version: string): string {
  const lines = [
    `sfkit ${version}: everyday Salesforce work from a terminal or a script.`,
    "",
    "USAGE",
    "  sfkit <topic> <action> [flags]",
    "",
    "TOPICS AND COMMANDS",
  ];
  const width = Math.max(...COMMANDS.map((c) => c.id.length)) + 4;
  for (const command of COMMANDS) lines.push(`  ${pad(`sfkit ${command.id}`, width + 6)}${command.summary}`);
  lines.push(
    "",
    "HELP TOPICS",
    "  sfkit help exit-codes    What each exit code means.",
    "  sfkit help environment   Environment variables sfkit reads.",
    "",
    "GLOBAL FLAGS",
    "  --json         One JSON document on stdout: { status, result, warnings }.",
    "  -h, --help     Help for a command: sfkit data query --help",
    "  --version      Print the version.",
    "",
    "EXAMPLES",
    "  sfkit org login soap --alias dev --username me@example.com --domain test",
    '  sfkit data query "SELECT Id, Name, Account.Name FROM Contact" -r csv > contacts.csv',
    "  sfkit data import bulk --sobject Contact --file contacts.csv --wait 10",
    "  sfkit types generate Account Contact --out src/sobjects.ts",
    "",
  );
  return lines.join("\n");
}

export function topicHelp(topic: string): string {
  const commands = COMMANDS.filter((c) => c.id === topic || c.id.startsWith(`${topic} `));
  const width = Math.max(...commands.map((c) => c.id.length)) + 10;
  return [
    `${TOPIC_SUMMARIES[topic.split(" ")[0]!] ?? ""}`,
    "",
    "COMMANDS",
    ...commands.map((c) => `  ${pad(`sfkit ${c.id}`, width)}${c.summary}`),
    "",
    `Help for one: sfkit ${commands[0]?.id ?? topic} --help`,
    "",
  ].join("\n");
}

/** The usage line: `sfkit data query <soql> --flag <value> [--other <x>]`. */
export function usageLine(id: string, def: CommandDef<Flags>): string {
  const parts = [`sfkit ${id}`];
  for (const arg of def.args ?? []) {
    const name = `<${arg.name}>${arg.variadic ? "..." : ""}`;
    parts.push(arg.required ? name : `[${name}]`);
  }
  for (const [name, spec] of Object.entries(def.flags)) {
    if (!spec.required) continue;
    parts.push(`--${name}${spec.type === "string" ? ` <${spec.placeholder ?? "value"}>` : ""}`);
  }
  parts.push("[flags]");
  return parts.join(" ");
}

export function commandHelp(id: string, def: CommandDef<Flags>): string {
  const lines = [def.summary, "", "USAGE", `  ${usageLine(id, def)}`, ""];
  if (def.args?.length) {
    lines.push("ARGUMENTS");
    const width = Math.max(...def.args.map((a) => a.name.length)) + 6;
    for (const arg of def.args) lines.push(`  ${pad(`<${arg.name}>`, width)}${arg.summary}`);
    lines.push("");
  }
  lines.push("FLAGS");
  const flags = allFlags(def);
  const labels = Object.entries(flags).map(([name, spec]) => {
    const short = spec.char ? `-${spec.char}, ` : "    ";
    const value = spec.type === "string" ? ` <${spec.placeholder ?? "value"}>` : "";
    return `${short}--${name}${value}`;
  });
  const width = Math.min(40, Math.max(...labels.map((l) => l.length)) + 3);
  Object.values(flags).forEach((spec, index) => {
    const extra = [
      spec.required ? "required" : "",
      spec.default !== undefined && spec.type === "string" ? `default: ${spec.default}` : "",
      spec.env ? `env: ${spec.env}` : "",
      spec.multiple ? "repeatable" : "",
    ].filter(Boolean);
    lines.push(
      `  ${pad(labels[index]!, width)}${spec.summary}${extra.length ? ` (${extra.join("; ")})` : ""}`,
    );
  });
  lines.push("");
  if (def.description)
    lines.push("DESCRIPTION", ...def.description.split("\n").map((l) => (l ? `  ${l}` : "")), "");
  lines.push("EXAMPLES");
  for (const example of def.examples) lines.push(`  ${example}`);
  lines.push("");
  return lines.join("\n");
}

export const EXIT_CODES_HELP = `EXIT CODES

  0    Success.
  1    Failure: the request failed, or some records failed (a bulk job with any failed
       row exits 1, and --json lists the failed rows).
  2    Usage error: an unknown command or flag, a bad flag value, a missing argument,
       or an input file sfkit cannot read (the message names the file and line).
  4    Authentication needed: no org was given or found, or the saved session expired
       and cannot be renewed. Log in with \`sfkit org login ...\`.
  130  Interrupted (Ctrl-C).

With --json, stdout always holds exactly one JSON document, whatever the outcome:
  { "status": 0, "result": ..., "warnings": [] }
  { "status": 1, "name": "...", "code": "...", "message": "...", "exitCode": 1, "warnings": [], "data"?: ... }
"status" is the exit code.

EXAMPLE
  sfkit data import bulk --sobject Contact --file c.csv --json > out.json || echo "failed: $?"
`;

export const ENVIRONMENT_HELP = `ENVIRONMENT

Org selection (first match wins):
  1. --target-org / -o <alias|username>
  2. SF_TARGET_ORG          an alias or username of a saved org
  3. credentials in SF_* variables (below), without any config file
  4. the default org (sfkit org set-default, or login --set-default)

Credentials without a config file:
  SF_INSTANCE_URL + SF_ACCESS_TOKEN      use this session as it is
  SF_USERNAME + SF_PASSWORD [+ SF_SECURITY_TOKEN]
                                         SOAP login (with SF_CLIENT_ID + SF_CLIENT_SECRET:
                                         OAuth password grant instead)
  SF_CLIENT_ID + SF_PRIVATE_KEY_FILE + SF_USERNAME
                                         OAuth JWT bearer flow
  SF_CLIENT_ID + SF_CLIENT_SECRET (no username)
                                         OAuth client-credentials flow (needs SF_INSTANCE_URL
                                         or SF_LOGIN_URL pointing at the org's My Domain)
  SF_DOMAIN       login | test | <mydomain>.my (default: login)
  SF_LOGIN_URL    a full login URL instead of SF_DOMAIN, e.g. http://127.0.0.1:8888 for the emulator
  SF_API_VERSION  the API version, e.g. 62.0

Output:
  NO_COLOR, CI, TERM=dumb   no progress bars or colour (also when stderr is not a terminal)
  SFKIT_DEBUG=1             print stack traces of unexpected errors

Tuning:
  SFKIT_POLL_INTERVAL_MS    how often bulk jobs are checked (default 1000, growing to 10000)
  SFKIT_TRANSPORT=node-fetch  use core's node-fetch transport instead of undici's pool

Network:
  HTTPS_PROXY / HTTP_PROXY  send requests through this proxy (credentials in the URL work)
  NO_PROXY                  hosts that go direct: "salesforce.com,.corp.example" (suffix match);
                            localhost and 127.0.0.1 always go direct

Files:
  SFKIT_CONFIG_DIR   where orgs.json lives (default: $XDG_CONFIG_HOME/sfkit, else ~/.config/sfkit);
                     the file is written with mode 0600 because it holds tokens.
`;
