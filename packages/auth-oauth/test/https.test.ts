import { createClient } from "@sfkit/core";
import { DEFAULT_CONNECTED_APP as app, startEmulator } from "@sfkit/emulator";
import { describe, expect, it } from "vitest";
import { jwtBearerGrant, passwordGrant } from "../src/index.js";

// Real orgs are HTTPS only: the token request, the instance_url it answers and the REST calls
// after it must all work over TLS with the CA the caller gives (the emulator's self-signed one).
describe("OAuth over HTTPS", () => {
  it("password and JWT bearer grants log in, keep https:// and the port, and the session works", async () => {
    const org = await startEmulator({ port: 0, https: true });
    const admin = org.findUser("admin@sfkit.test")!;
    const keys = { consumerKey: app.consumerKey, consumerSecret: app.consumerSecret };
    const strategies = [
      passwordGrant({ ...admin, ...keys, loginUrl: org.loginUrl }),
      jwtBearerGrant({
        username: admin.username,
        consumerKey: app.consumerKey,
        privateKey: app.privateKey!,
        loginUrl: org.loginUrl,
      }),
    ];
    try {
      expect(org.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      for (const auth of strategies) {
        const client = createClient({ auth, ca: org.ca, retry: false });
        try {
          expect((await client.request({ path: "limits" })).status).toBe(200);
          expect((await client.session()).instanceUrl).toBe(org.url);
        } finally {
          await client.close();
        }
      }
    } finally {
      await org.close();
    }
  });
});
