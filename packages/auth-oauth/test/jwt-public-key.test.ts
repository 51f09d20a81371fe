import { generateKeyPairSync } from "node:crypto";
import { createClient, SalesforceAuthenticationFailed } from "@sfkit/core";
import { startEmulator } from "@sfkit/emulator";
import { describe, expect, it } from "vitest";
import { jwtBearerGrant } from "../src/index.js";
import { rejection } from "./helpers.js";

// A connected app may hold a bare public key instead of a certificate: the JWT bearer grant
// must work against both (the certificate case is in grants.test.ts).
describe("JWT bearer grant against an app registered with a public key", () => {
  it("logs in with the matching private key, and is refused with another", async () => {
    const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
    const { publicKey, privateKey } = pair();
    const app = {
      consumerKey: "3MVG9-public-key-app",
      consumerSecret: "public-key-app-secret",
      publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    const org = await startEmulator({ port: 0, connectedApps: [app] });
    const grant = (key: string) =>
      jwtBearerGrant({
        username: "admin@sfkit.test",
        consumerKey: app.consumerKey,
        loginUrl: org.loginUrl,
        privateKey: key,
      });
    const good = createClient({
      auth: grant(privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
      retry: false,
    });
    const other = pair().privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const bad = createClient({ auth: grant(other), retry: false });
    try {
      expect((await good.request({ path: "limits" })).status).toBe(200);
      const error = await rejection(bad.request({ path: "limits" }));
      expect(error).toBeInstanceOf(SalesforceAuthenticationFailed);
      expect(error.errorCode).toBe("invalid_grant");
    } finally {
      await good.close();
      await bad.close();
      await org.close();
    }
  });
});
