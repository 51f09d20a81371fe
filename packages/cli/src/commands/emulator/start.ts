import { resolve } from "node:path";
import { STREAMED, defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import { parseInteger } from "../../framework/parse.js";

export default defineCommand({
  summary: "Run a local Salesforce API emulator until Ctrl-C.",
  description: `Starts @sfkit/emulator on loopback: SOAP login, OAuth token endpoint, REST sObjects,
SOQL, SOSL, describe, Bulk API 1.0 and 2.0, Apex REST. It prints the instance URL and
the login users, then runs until Ctrl-C (SIGINT) or SIGTERM. --persist keeps the
records in a JSON file between runs. With --json, one document with the URLs and users
is printed as soon as it listens.`,
  examples: [
    "sfkit emulator start --port 8888 --seed demo",
    "# DreamHouse custom objects from a Salesforce DX project",
    "sfkit emulator start --project force-app --port 8888",
    "# Then, in another terminal:",
    "sfkit org login soap -a local -u <username> --password <password> --login-url http://127.0.0.1:8888",
  ],
  flags: {
    port: {
      type: "string",
      char: "p",
      placeholder: "port",
      default: "0",
      summary: "TCP port (0: any free port).",
    },
    host: { type: "string", placeholder: "host", default: "127.0.0.1", summary: "Interface to listen on." },
    seed: {
      type: "string",
      options: ["empty", "demo"],
      default: "empty",
      placeholder: "empty|demo",
      summary: "Initial data.",
    },
    project: {
      type: "string",
      placeholder: "dir",
      multiple: true,
      summary: "A Salesforce DX source folder (force-app) whose custom objects to load.",
    },
    schema: { type: "string", placeholder: "file.json", summary: "Custom object specs in a JSON file." },
    persist: {
      type: "string",
      placeholder: "file.json",
      summary: "Load records from this file and save them on exit.",
    },
    https: { type: "boolean", summary: "Serve HTTPS with a self-signed localhost certificate." },
  },
  async run(ctx) {
    const port = parseInteger("port", ctx.flags.port, 0, 65535)!;
    const { startEmulator } = await import("@sfkit/emulator");
    const cwd = ctx.io.cwd;
    let org: Awaited<ReturnType<typeof startEmulator>>;
    try {
      org = await startEmulator({
        port,
        host: ctx.flags.host,
        seed: ctx.flags.seed as "empty" | "demo",
        ...(ctx.flags.project.length ? { project: ctx.flags.project.map((p) => resolve(cwd, p)) } : {}),
        ...(ctx.flags.schema ? { schema: resolve(cwd, ctx.flags.schema) } : {}),
        ...(ctx.flags.persist ? { persist: resolve(cwd, ctx.flags.persist) } : {}),
        ...(ctx.flags.https ? { https: true } : {}),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE")
        throw new UsageError(
          `Port ${port} is in use: pick another with --port, or --port 0 for any free one.`,
        );
      // A --project folder or --schema file that is not there ("folder not found: ...").
      if ((error as Error).name === "EmulatorOptionError")
        throw new UsageError((error as Error).message, { code: code ?? "ERR_EMULATOR_OPTION" });
      throw error;
    }
    const users = org.users.map((u) => ({
      username: u.username,
      password: u.password,
      securityToken: u.securityToken,
    }));
    const info = { url: org.url, loginUrl: org.loginUrl, users };
    if (ctx.json) {
      await ctx.out.print(`${JSON.stringify({ status: 0, result: info, warnings: [] }, null, 2)}\n`);
    } else {
      const first = users[0];
      const lines = [
        `sfkit emulator listening on ${org.url}`,
        `  login URL: ${org.loginUrl}`,
        ...users.map(
          (u) =>
            `  user: ${u.username}  password: ${u.password}${u.securityToken ? `  security token: ${u.securityToken}` : ""}`,
        ),
        "",
        "Use it:",
        first
          ? `  sfkit org login soap -a emulator -u ${first.username} --password '${first.password}${first.securityToken}' --login-url ${org.loginUrl}`
          : "",
        `  or: export SF_INSTANCE_URL=${org.url} SF_LOGIN_URL=${org.loginUrl}${first ? ` SF_USERNAME=${first.username} SF_PASSWORD='${first.password}${first.securityToken}'` : ""}`,
        "Press Ctrl-C to stop.",
        "",
      ];
      await ctx.out.print(lines.join("\n"));
    }
    await new Promise<void>((done) => {
      const signal = ctx.io.signal;
      if (!signal) return; // no way to be interrupted: run until the process ends
      if (signal.aborted) return done();
      const stop = () => {
        process.off("SIGTERM", stop);
        signal.removeEventListener("abort", stop);
        done();
      };
      signal.addEventListener("abort", stop, { once: true });
      process.once("SIGTERM", stop);
    });
    await org.close();
    ctx.out.notice("Emulator stopped.");
    return STREAMED;
  },
});
