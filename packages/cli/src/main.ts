import type { CommandContext, CommandDef, Flags, ResultFormat } from "./framework/command.js";
import { type CliIo, processIo, writeAll } from "./framework/io.js";
import { SecretSet } from "./framework/redact.js";
import { COMMANDS, findCommand } from "./registry.js";
import { cliVersion } from "./version.js";

/** Secrets from the environment never reach the output, whatever prints them. */
function secretsFromEnv(env: CliIo["env"], secrets: SecretSet): void {
  secrets.add(env.SF_ACCESS_TOKEN, env.SF_PASSWORD, env.SF_SECURITY_TOKEN, env.SF_CLIENT_SECRET);
}

/**
 * Runs one sfkit command line and returns its exit code. Everything it touches comes
 * through `io`, so tests run commands in-process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const secrets = new SecretSet();
  secretsFromEnv(io.env, secrets);
  const jsonAsked = argv.includes("--json");
  if (argv[0] === "--version" || argv[0] === "version" || (argv[0] === "-v" && argv.length === 1)) {
    const version = cliVersion();
    const text = `sfkit/${version} ${process.platform}-${process.arch} node-${process.version}`;
    await writeAll(
      io.stdout,
      jsonAsked
        ? `${JSON.stringify({ status: 0, result: { version, node: process.version, platform: process.platform, arch: process.arch }, warnings: [] }, null, 2)}\n`
        : `${text}\n`,
    );
    return 0;
  }
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith("-")) break;
    words.push(arg);
  }
  const help = await import("./framework/help.js");
  const { ExitCode } = await import("./framework/errors.js");
  try {
    if (words.length === 0) {
      if (argv.length && !argv.includes("--help") && !argv.includes("-h")) {
        const { UsageError } = await import("./framework/errors.js");
        throw new UsageError(`Unknown flag ${argv[0]}: give a command first, e.g. sfkit data query --help.`);
      }
      await writeAll(io.stdout, help.rootHelp(cliVersion()));
      return ExitCode.ok;
    }
    if (words[0] === "help") {
      const rest = words.slice(1);
      if (rest.length === 0) {
        await writeAll(io.stdout, help.rootHelp(cliVersion()));
        return ExitCode.ok;
      }
      if (rest[0] === "exit-codes") {
        await writeAll(io.stdout, help.EXIT_CODES_HELP);
        return ExitCode.ok;
      }
      if (rest[0] === "environment") {
        await writeAll(io.stdout, help.ENVIRONMENT_HELP);
        return ExitCode.ok;
      }
      const found = findCommand(rest);
      if (found && found.used === rest.length) {
        const def = (await found.entry.load()).default;
        await writeAll(io.stdout, help.commandHelp(found.entry.id, def));
        return ExitCode.ok;
      }
      if (isTopic(rest)) {
        await writeAll(io.stdout, help.topicHelp(rest.join(" ")));
        return ExitCode.ok;
      }
      throw await unknownCommand(rest, true);
    }
    const found = findCommand(words);
    if (!found) {
      if (isTopic(words)) {
        await writeAll(io.stdout, help.topicHelp(words.join(" ")));
        return ExitCode.ok;
      }
      throw await unknownCommand(words, false);
    }
    return await runCommand(found.entry.id, argv.slice(found.used), io, secrets);
  } catch (error) {
    return reportError(error, io, jsonAsked, secrets, []);
  }
}

function isTopic(words: string[]): boolean {
  const prefix = `${words.join(" ")} `;
  return COMMANDS.some((c) => c.id.startsWith(prefix));
}

async function unknownCommand(words: string[], inHelp: boolean): Promise<Error> {
  const { UsageError } = await import("./framework/errors.js");
  const { closest } = await import("./framework/parse.js");
  // The known part ("data") and the first word that does not fit ("qurey"); later words are arguments.
  let known = 0;
  while (known < words.length && isTopic(words.slice(0, known + 1))) known++;
  const askedWords = words.slice(0, known + 1);
  const asked = askedWords.join(" ");
  const ids = COMMANDS.map((c) => c.id);
  const prefix = known ? `${words.slice(0, known).join(" ")} ` : "";
  const candidates = new Set(
    ids
      .filter((id) => id.startsWith(prefix))
      .flatMap((id) => [
        id,
        id
          .split(" ")
          .slice(0, known + 1)
          .join(" "),
      ]),
  );
  // `sfkit query`, `sfkit describe`: an action typed without its topic names the command that has it.
  const withTopic = known
    ? []
    : [
        ...new Set(
          ids.filter((id) => id.split(" ")[1] === words[0]).map((id) => id.split(" ").slice(0, 2).join(" ")),
        ),
      ];
  const guess = withTopic.length === 1 ? withTopic[0] : closest(asked, candidates);
  const topics = [...new Set(ids.map((id) => id.split(" ")[0]!))];
  return new UsageError(
    `Unknown ${inHelp ? "help topic" : "command"} "${asked}".${guess ? ` Did you mean "sfkit ${inHelp ? "help " : ""}${guess}"?` : ""}`,
    {
      code: "ERR_UNKNOWN_COMMAND",
      actions: [`Topics: ${topics.join(", ")}. See: sfkit help`],
    },
  );
}

async function runCommand(id: string, argv: string[], io: CliIo, secrets: SecretSet): Promise<number> {
  const entry = COMMANDS.find((c) => c.id === id)!;
  const def = (await entry.load()).default as CommandDef<Flags>;
  const { parseCommandArgs } = await import("./framework/parse.js");
  const { Output } = await import("./framework/output.js");
  const { UsageError } = await import("./framework/errors.js");
  const help = await import("./framework/help.js");
  let json = argv.includes("--json");
  const warnings: string[] = [];
  try {
    const parsed = parseCommandArgs(id, def, argv, io.env);
    // Secrets given as flags are scrubbed from every output too.
    for (const name of ["password", "client-secret", "access-token", "security-token"]) {
      const value = parsed.flags[name];
      if (typeof value === "string") secrets.add(value);
    }
    if (parsed.flags.help) {
      await writeAll(io.stdout, help.commandHelp(id, def));
      return 0;
    }
    const format = ((parsed.flags["result-format"] as string | undefined) ?? "human") as ResultFormat;
    json = Boolean(parsed.flags.json) || format === "json";
    const out = new Output(io, json, (t) => secrets.redact(t));
    const { ConfigStore, configDir } = await import("./config/store.js");
    const config = new ConfigStore(configDir(io.env));
    let connection: Promise<import("./org/connect.js").OrgConnection> | undefined;
    const ctx: CommandContext = {
      id,
      targetOrg: parsed.flags["target-org"] as string | undefined,
      flags: parsed.flags as CommandContext["flags"],
      args: parsed.args,
      io,
      json,
      format,
      out,
      config,
      org: () => {
        connection ??= import("./org/connect.js").then(({ connectOrg }) =>
          connectOrg({
            config,
            env: io.env,
            targetOrg: parsed.flags["target-org"] as string | undefined,
            apiVersion: parsed.flags["api-version"] as string | undefined,
            secrets,
            out,
          }),
        );
        return connection;
      },
    };
    try {
      const { STREAMED } = await import("./framework/command.js");
      const result = await def.run(ctx);
      warnings.push(...out.warnings);
      if (json && result !== STREAMED) {
        await writeAll(
          io.stdout,
          `${secrets.redact(JSON.stringify({ status: 0, result: result ?? null, warnings }, null, 2))}\n`,
        );
      }
      return 0;
    } catch (error) {
      warnings.push(...out.warnings);
      throw error;
    } finally {
      if (connection) await connection.then((c) => c.close()).catch(() => {});
    }
  } catch (error) {
    if (error instanceof UsageError && !json) {
      io.stderr.write(`Usage: ${help.usageLine(id, def)}\n`);
    }
    return reportError(error, io, json, secrets, warnings);
  }
}

async function reportError(
  error: unknown,
  io: CliIo,
  json: boolean,
  secrets: SecretSet,
  warnings: string[],
): Promise<number> {
  const { exitCodeFor, errorCode, actionsFor, CliError, isSfkitError } = await import(
    "./framework/errors.js"
  );
  const exitCode = exitCodeFor(error);
  const err = error instanceof Error ? error : new Error(String(error));
  const name = exitCode === 130 ? "Interrupted" : err.name || "Error";
  const message = exitCode === 130 ? "Interrupted." : tidyMessage(err.message);
  const actions = actionsFor(error);
  if (json && error instanceof CliError && error.reported) return exitCode;
  if (json) {
    const envelope: Record<string, unknown> = {
      status: exitCode,
      name,
      code: errorCode(error),
      message,
      exitCode,
      warnings,
    };
    if (actions.length) envelope.actions = actions;
    if (error instanceof CliError && error.data !== undefined) envelope.data = error.data;
    if (isSfkitError(error)) {
      const sf = error as unknown as { errorCode?: string; status?: number };
      if (sf.errorCode) envelope.errorCode = sf.errorCode;
      if (sf.status) envelope.httpStatus = sf.status;
    }
    if (io.env.SFKIT_DEBUG && err.stack) envelope.stack = err.stack;
    await writeAll(io.stdout, `${secrets.redact(JSON.stringify(envelope, null, 2))}\n`);
  } else {
    let text = `Error (${name}): ${message}\n`;
    for (const action of actions) text += `  ${action}\n`;
    const unexpected = !(error instanceof CliError) && !isSfkitError(error) && exitCode !== 130;
    if (unexpected || io.env.SFKIT_DEBUG) {
      if (err.stack) text += `${err.stack}\n`;
      if (unexpected) text += "This looks like a bug in sfkit: please report it with the lines above.\n";
    }
    io.stderr.write(secrets.redact(text));
  }
  return exitCode;
}

const MESSAGE_LINES = 40;
const MESSAGE_CHARS = 2000;

/**
 * Error messages keep their line breaks: Salesforce's SOQL errors put the query on one line
 * and a caret under the bad token on the next, which only lines up when both stay intact.
 * Trailing spaces and blank runs go, and a long text is cut, so that no message floods the
 * terminal (core already reduces HTML pages to one line of text).
 */
function tidyMessage(message: string): string {
  const lines = message
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line, i, all) => line !== "" || (i > 0 && all[i - 1] !== ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  let text = lines.slice(0, MESSAGE_LINES).join("\n");
  if (lines.length > MESSAGE_LINES) text += "\n…";
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}…` : text;
}
/** The bin entry: wires Ctrl-C, runs, sets process.exitCode (never calls exit on success). */
export async function runFromProcess(): Promise<void> {
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // `sfkit data query ... | head`: the reader left; stop quietly.
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const code = await main(process.argv.slice(2), processIo(controller.signal));
  process.off("SIGINT", onSigint);
  process.exitCode = code;
}
