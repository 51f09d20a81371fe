import { createClient } from "@sfkit/core";
import { startEmulator } from "@sfkit/emulator";
import { describe, expect, it } from "vitest";
import { salesforceLogin, soapLogin } from "../src/index.js";

// Real orgs are HTTPS only: the login, the serverUrl it answers and the REST calls after it
// must all work over TLS with the CA the caller gives (the emulator's self-signed one here).
describe("SOAP login over HTTPS", () => {
  it("logs in, keeps https:// and the port in the instance URL, and the session works for REST", async () => {
    const org = await startEmulator({ port: 0, https: true });
    const admin = org.findUser("admin@sfkit.test")!;
    const credentials = {
      username: admin.username,
      password: admin.password,
      securityToken: admin.securityToken,
    };
    const client = createClient({
      auth: soapLogin({ ...credentials, loginUrl: org.loginUrl }),
      ca: org.ca,
      retry: false,
    });
    try {
      expect((await client.request({ path: "limits" })).status).toBe(200);
      expect((await client.session()).instanceUrl).toBe(org.url);
      expect(org.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const login = await salesforceLogin({ ...credentials, loginUrl: org.loginUrl, ca: org.ca });
      expect(login.instanceUrl).toBe(org.url);
    } finally {
      await client.close();
      await org.close();
    }
  });
});
