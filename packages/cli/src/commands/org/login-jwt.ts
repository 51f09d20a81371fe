import { defineCommand } from "../../framework/command.js";
import {
  aliasFlag,
  clientIdFlag,
  domainFlag,
  loginAndSave,
  loginApiVersionFlag,
  loginTarget,
  loginUrlFlag,
  setDefaultFlag,
} from "./shared.js";

export default defineCommand({
  summary: "Log in with the OAuth JWT bearer flow (connected app + private key) and save the org.",
  description: `Signs a JWT with the private key and exchanges it for an access token. The org is
saved with the key file's path (not the key), so that sfkit gets a new token by itself
when the old one expires.`,
  examples: [
    "sfkit org login jwt -a ci --client-id 3MVG9... --jwt-key-file server.key -u ci@acme.com",
    "sfkit org login jwt -a uat --client-id 3MVG9... -f server.key -u ci@acme.com.uat --domain test -d",
  ],
  flags: {
    alias: aliasFlag,
    "client-id": clientIdFlag,
    "jwt-key-file": {
      type: "string",
      char: "f",
      placeholder: "file",
      env: "SF_PRIVATE_KEY_FILE",
      required: true,
      summary: "The PEM private key whose certificate the connected app holds.",
    },
    username: {
      type: "string",
      char: "u",
      placeholder: "username",
      env: "SF_USERNAME",
      required: true,
      summary: "The user to log in as.",
    },
    domain: domainFlag,
    "login-url": loginUrlFlag,
    "set-default": setDefaultFlag,
    "api-version": loginApiVersionFlag,
  },
  async run(ctx) {
    const { jwtBearerGrant } = await import("@sfkit/auth-oauth");
    const { resolve } = await import("node:path");
    const { flags } = ctx;
    const keyFile = resolve(ctx.io.cwd, flags["jwt-key-file"]);
    // Read here first, so that a wrong path names the flag the user typed.
    const { readInputFile } = await import("../../format/input-file.js");
    await readInputFile(ctx.io.cwd, flags["jwt-key-file"], "--jwt-key-file");
    const strategy = jwtBearerGrant({
      username: flags.username,
      consumerKey: flags["client-id"],
      privateKeyFile: keyFile,
      ...loginTarget(flags),
    });
    return loginAndSave(ctx, strategy, {
      authMethod: "jwt",
      username: flags.username,
      loginUrl: strategy.loginUrl,
      clientId: flags["client-id"],
      privateKeyFile: keyFile,
    });
  },
});
