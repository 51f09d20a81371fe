// The server side of the benchmark, in its own process so that it never competes with the
// measured client for its event loop, and so that every client's CPU time and peak RSS are
// its own: `node host.mjs '<json>'` starts @sfkit/emulator, seeds the records the cases
// read (in-process, through the emulator's own store), opens a session, starts the static
// server (the do-nothing ceiling), prints one JSON line and runs until its stdin closes.
import { startStaticServer } from "./static-server.mjs";

const spec = JSON.parse(process.argv[2] ?? "{}");
const apiVersion = spec.apiVersion ?? "62.0";

async function soapLogin(loginUrl, user) {
  const envelope = `<?xml version="1.0" encoding="utf-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
<env:Body><urn:login><urn:username>${user.username}</urn:username><urn:password>${user.password}${user.securityToken ?? ""}</urn:password></urn:login></env:Body></env:Envelope>`;
  const res = await fetch(`${loginUrl}/services/Soap/u/${apiVersion}`, {
    method: "POST",
    headers: { "content-type": "text/xml; charset=UTF-8", soapaction: "login" },
    body: envelope,
  });
  const text = await res.text();
  const token = /<sessionId>([^<]+)<\/sessionId>/.exec(text)?.[1];
  if (!token) throw new Error(`SOAP login to the emulator failed (${res.status}): ${text.slice(0, 300)}`);
  return token;
}

async function call(base, token, method, path, body) {
  const res = await fetch(`${base}/services/data/v${apiVersion}/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json",
      "accept-encoding": "identity",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return { text, headers: Object.fromEntries(res.headers), data: text ? JSON.parse(text) : undefined };
}

export const contact = (i) => ({
  FirstName: `First${i}`,
  LastName: `Last${i}`,
  Email: `person${i}@example.com`,
  Phone: `+1 415 555 ${String(i % 10000).padStart(4, "0")}`,
  Title: "Engineer",
  MailingCity: "Boston",
  Description: `Bench row ${i}`,
});

async function main() {
  const { startEmulator } = await import("@sfkit/emulator");
  const accountIds = [];
  const t0 = Date.now();
  const org = await startEmulator({
    port: 0,
    compression: spec.compression ?? true,
    dailyApiLimit: 1_000_000_000, // the bench makes hundreds of thousands of calls
    ...(spec.bulk ? { bulk: spec.bulk } : {}),
    seed: (o) => {
      for (let i = 0; i < (spec.accounts ?? 0); i++) {
        accountIds.push(
          o.insert("Account", {
            Name: `Seeded Account ${i}`,
            Phone: "+1 415 555 0100",
            Website: "https://example.com",
          }),
        );
      }
      for (let i = 1; i <= (spec.contacts ?? 0); i++) o.insert("Contact", contact(i));
    },
  });
  const seedMs = Date.now() - t0;
  const token = await soapLogin(org.loginUrl, org.users[0]);
  let staticServer;
  if (accountIds.length) {
    const sample = await call(org.url, token, "GET", `sobjects/Account/${accountIds[0]}`);
    const created = await call(org.url, token, "POST", "sobjects/Account", { Name: "Static sample" });
    const keep = {};
    for (const h of ["content-type", "sforce-limit-info"]) if (sample.headers[h]) keep[h] = sample.headers[h];
    staticServer = await startStaticServer({
      getBody: sample.text,
      getHeaders: keep,
      createBody: created.text,
    });
  }
  process.stdout.write(
    `${JSON.stringify({ url: org.url, token, apiVersion, accountIds, contacts: spec.contacts ?? 0, seedMs, staticUrl: staticServer?.url })}\n`,
  );
  process.stdin.resume();
  process.stdin.on("end", async () => {
    await staticServer?.close();
    await org.close();
    process.exit(0);
  });
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
