import { generateKeyPairSync } from "node:crypto";
import { type ConnectedApp, type Emulator, startEmulator } from "@sfkit/emulator";
import { createClient } from "@sfkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentialsGrant, jwtBearerGrant, passwordGrant, refreshTokenGrant } from "../src/index.js";
import { printable, recordingLogger, rejection } from "./helpers.js";

const CANARY_PASSWORD = "CANARY-pw-&<5e8d1c>";
const CANARY_TOKEN = "CANARYtokc0ffee";
const CANARY_SECRET = "CANARY-secret-9b7a2f";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const KEY_BODY = PEM.split("\n")[1]!; // one line of the key's base64
const canaryApp: ConnectedApp = {
  name: "Canary",
  consumerKey: "3MVGcanaryConsumerKey",
  consumerSecret: CANARY_SECRET,
  publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  runAs: "canary@sfkit.test",
};
const user = { username: "canary@sfkit.test", password: CANARY_PASSWORD, securityToken: CANARY_TOKEN };

let org: Emulator;
beforeAll(async () => {
  org = await startEmulator({ port: 0, users: [user], connectedApps: [canaryApp] });
});
afterAll(async () => {
  await org.close();
});

describe("a canary secret never reaches an error, a log line or util.inspect", () => {
  it("for every grant, in logins, refreshes, failures and logout", async () => {
    const { logger, lines } = recordingLogger();
    const shown: unknown[] = [];
    const keys = {
      consumerKey: canaryApp.consumerKey,
      consumerSecret: CANARY_SECRET,
      loginUrl: org.loginUrl,
    };
    const refreshToken = org.sessions.issueRefreshToken(org.findUser(user.username)!, canaryApp.consumerKey);
    const strategies = [
      passwordGrant({ ...user, ...keys }),
      jwtBearerGrant({
        username: user.username,
        consumerKey: canaryApp.consumerKey,
        privateKey: PEM,
        loginUrl: org.loginUrl,
      }),
      clientCredentialsGrant(keys),
      refreshTokenGrant({ refreshToken, ...keys }),
    ];
    const issued: string[] = [refreshToken];
    for (const strategy of strategies) {
      const client = createClient({ auth: strategy, logger, retry: false });
      await client.request({ path: "limits" });
      const first = await client.session();
      issued.push(first.accessToken);
      org.sessions.expire(first.accessToken);
      await client.request({ path: "limits" });
      const second = await client.session();
      issued.push(second.accessToken);
      shown.push(client, strategy, first, second);
      await client.logout();
      await client.close();
    }
    // failures of every kind, with the canaries in the request
    const failing = [
      passwordGrant({ ...user, password: `${CANARY_PASSWORD}x`, ...keys }),
      passwordGrant({ ...user, ...keys, consumerSecret: `${CANARY_SECRET}x` }),
      clientCredentialsGrant({ ...keys, consumerSecret: `${CANARY_SECRET}y` }),
      refreshTokenGrant({ refreshToken: `${refreshToken}zz`, ...keys }),
      jwtBearerGrant({
        username: "stranger@sfkit.test",
        consumerKey: canaryApp.consumerKey,
        privateKey: PEM,
        loginUrl: org.loginUrl,
      }),
    ];
    org.faults.next({ path: "/services/oauth2/token", html: true });
    for (const strategy of failing) {
      const client = createClient({ auth: strategy, logger, retry: false });
      shown.push(await rejection(client.request({ path: "limits" })), strategy);
      await client.close();
    }
    // a refresh that fails
    const rotating = createClient({
      auth: refreshTokenGrant({ refreshToken, ...keys }),
      logger,
      retry: false,
    });
    await rotating.request({ path: "limits" });
    org.sessions.revoke(refreshToken);
    shown.push(await rejection(rotating.request({ path: "limits" })));
    await rotating.close();

    const text = [...shown.map(printable), lines.join("\n")].join("\n");
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [CANARY_PASSWORD, CANARY_TOKEN, CANARY_SECRET, KEY_BODY, refreshToken, ...issued]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
  });
});
