import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import {
  aliasFlag,
  domainFlag,
  loginAndSave,
  loginApiVersionFlag,
  loginTarget,
  loginUrlFlag,
  readSecretFromStdin,
  setDefaultFlag,
} from "./shared.js";

export default defineCommand({
  summary: "Log in with username, password and security token (SOAP) and save the org.",
  description: `Logs in with the SOAP API login() call and saves the session (not the password) in
the config file (mode 0600). When the session expires, log in again: commands then
exit with code 4. Give the password with SF_PASSWORD or --password-stdin rather than
--password, so that it stays out of your shell history.`,
  examples: [
    "# Production org, password and token from the environment",
    "SF_PASSWORD=... SF_SECURITY_TOKEN=... sfkit org login soap --alias prod --username me@acme.com",
    "# Sandbox, password from a pipe, made the default org",
    "pass show sfdc/uat | sfkit org login soap -a uat -u me@acme.com.uat --domain test --password-stdin -d",
    "# The local emulator (see sfkit emulator start)",
    "sfkit org login soap -a local -u admin@sfkit.test --password-stdin --login-url http://127.0.0.1:8888",
  ],
  flags: {
    alias: aliasFlag,
    username: {
      type: "string",
      char: "u",
      placeholder: "username",
      env: "SF_USERNAME",
      required: true,
      summary: "The Salesforce username.",
    },
    password: {
      type: "string",
      char: "p",
      placeholder: "password",
      env: "SF_PASSWORD",
      summary: "The password (prefer SF_PASSWORD or --password-stdin).",
    },
    "password-stdin": { type: "boolean", summary: "Read the password from standard input." },
    "security-token": {
      type: "string",
      char: "t",
      placeholder: "token",
      env: "SF_SECURITY_TOKEN",
      summary: "The security token, appended to the password (not needed from trusted IP ranges).",
    },
    domain: domainFlag,
    "login-url": loginUrlFlag,
    "set-default": setDefaultFlag,
    "api-version": loginApiVersionFlag,
  },
  async run(ctx) {
    const { soapLogin } = await import("@sfkit/auth-soap");
    const { flags } = ctx;
    const password = flags["password-stdin"] ? await readSecretFromStdin(ctx, "password") : flags.password;
    if (!password) throw new UsageError("No password: give SF_PASSWORD, --password-stdin or --password.");
    const target = loginTarget(flags);
    const strategy = soapLogin({
      username: flags.username,
      password,
      securityToken: flags["security-token"],
      ...target,
    });
    return loginAndSave(ctx, strategy, {
      authMethod: "soap",
      username: flags.username,
      loginUrl: strategy.loginUrl,
    });
  },
});
