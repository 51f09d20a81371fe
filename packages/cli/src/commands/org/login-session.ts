import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import {
  aliasFlag,
  loginAndSave,
  loginApiVersionFlag,
  readSecretFromStdin,
  setDefaultFlag,
} from "./shared.js";

export default defineCommand({
  summary: "Save an org from an instance URL and an existing access token / session id.",
  description: `Checks that the token works (one REST call) and, without --username, asks whose it is
(OAuth userinfo; a token that may not read it is saved without a username). Such a
session cannot be renewed by sfkit: when it expires, commands exit with code 4.`,
  examples: [
    "SF_ACCESS_TOKEN=00D... sfkit org login session -a scratch --instance-url https://acme.my.salesforce.com",
    "sf org display --json | jq -r .result.accessToken | sfkit org login session -a acme --instance-url https://acme.my.salesforce.com --access-token-stdin",
  ],
  flags: {
    alias: aliasFlag,
    "instance-url": {
      type: "string",
      placeholder: "url",
      env: "SF_INSTANCE_URL",
      required: true,
      summary: "The org's URL, e.g. https://acme.my.salesforce.com.",
    },
    "access-token": {
      type: "string",
      placeholder: "token",
      env: "SF_ACCESS_TOKEN",
      summary: "The access token or session id (prefer SF_ACCESS_TOKEN or --access-token-stdin).",
    },
    "access-token-stdin": { type: "boolean", summary: "Read the access token from standard input." },
    username: {
      type: "string",
      char: "u",
      placeholder: "username",
      summary:
        "The username, to show in org list and to use with --target-org (looked up from the token when not given).",
    },
    "set-default": setDefaultFlag,
    "api-version": loginApiVersionFlag,
  },
  async run(ctx) {
    const { createSession, normalizeInstanceUrl } = await import("@sfkit/core");
    const { flags } = ctx;
    const token = flags["access-token-stdin"]
      ? await readSecretFromStdin(ctx, "access-token")
      : flags["access-token"];
    if (!token)
      throw new UsageError("No access token: give SF_ACCESS_TOKEN, --access-token-stdin or --access-token.");
    const session = createSession({
      accessToken: token,
      instanceUrl: normalizeInstanceUrl(flags["instance-url"]),
    });
    return loginAndSave(
      ctx,
      { kind: "session", login: async () => session, secrets: () => [token] },
      { authMethod: "session", username: flags.username },
    );
  },
});
