import { defineCommand } from "../../framework/command.js";
import { UsageError } from "../../framework/errors.js";
import {
  aliasFlag,
  clientIdFlag,
  domainFlag,
  loginAndSave,
  loginApiVersionFlag,
  loginTarget,
  loginUrlFlag,
  readSecretFromStdin,
  setDefaultFlag,
} from "./shared.js";

export default defineCommand({
  summary: "Log in through an OAuth connected app (password or client-credentials grant) and save the org.",
  description: `With --username, uses the OAuth username-password grant; without it, the client
credentials grant (the connected app's run-as user; --login-url must then be the org's
My Domain URL). The client secret is saved (mode 0600) only for client credentials,
so that an expired token can be renewed without you.`,
  examples: [
    "# Username-password grant",
    "SF_CLIENT_SECRET=... SF_PASSWORD=... sfkit org login oauth -a prod --client-id 3MVG9... -u me@acme.com",
    "# Client credentials grant against a My Domain",
    "SF_CLIENT_SECRET=... sfkit org login oauth -a integration --client-id 3MVG9... --login-url https://acme.my.salesforce.com",
  ],
  flags: {
    alias: aliasFlag,
    "client-id": clientIdFlag,
    "client-secret": {
      type: "string",
      placeholder: "consumer secret",
      env: "SF_CLIENT_SECRET",
      summary: "The connected app's consumer secret (prefer SF_CLIENT_SECRET).",
    },
    username: {
      type: "string",
      char: "u",
      placeholder: "username",
      env: "SF_USERNAME",
      summary: "Log in as this user (password grant); without it: client credentials.",
    },
    password: {
      type: "string",
      char: "p",
      placeholder: "password",
      env: "SF_PASSWORD",
      summary: "The user's password (prefer SF_PASSWORD or --password-stdin).",
    },
    "password-stdin": { type: "boolean", summary: "Read the password from standard input." },
    "security-token": {
      type: "string",
      char: "t",
      placeholder: "token",
      env: "SF_SECURITY_TOKEN",
      summary: "The user's security token.",
    },
    domain: domainFlag,
    "login-url": loginUrlFlag,
    "set-default": setDefaultFlag,
    "api-version": loginApiVersionFlag,
  },
  async run(ctx) {
    const { passwordGrant, clientCredentialsGrant } = await import("@sfkit/auth-oauth");
    const { flags } = ctx;
    const secret = flags["client-secret"];
    if (!secret) throw new UsageError("No client secret: give SF_CLIENT_SECRET or --client-secret.");
    const target = loginTarget(flags);
    if (flags.username) {
      const password = flags["password-stdin"] ? await readSecretFromStdin(ctx, "password") : flags.password;
      if (!password) throw new UsageError("No password: give SF_PASSWORD, --password-stdin or --password.");
      const strategy = passwordGrant({
        username: flags.username,
        password,
        securityToken: flags["security-token"],
        consumerKey: flags["client-id"],
        consumerSecret: secret,
        ...target,
      });
      return loginAndSave(ctx, strategy, {
        authMethod: "oauth-password",
        username: flags.username,
        loginUrl: strategy.loginUrl,
        clientId: flags["client-id"],
      });
    }
    if (!target.loginUrl && !target.domain?.includes("."))
      throw new UsageError(
        "The client credentials grant needs the org's My Domain: give --login-url https://<mydomain>.my.salesforce.com or --domain <mydomain>.my (or --username for the password grant).",
      );
    const strategy = clientCredentialsGrant({
      consumerKey: flags["client-id"],
      consumerSecret: secret,
      ...target,
    });
    return loginAndSave(ctx, strategy, {
      authMethod: "oauth-client-credentials",
      loginUrl: strategy.loginUrl,
      clientId: flags["client-id"],
      clientSecret: secret,
    });
  },
});
