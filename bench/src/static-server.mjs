// A server that does no work: it answers the get and create requests of cases 1 and 2 with
// bytes recorded from the emulator. Raw node:http against it is the ceiling of this machine,
// and comparing it with raw node:http against the emulator shows whether the emulator is
// what a case measures.
import http from "node:http";
import { once } from "node:events";

export async function startStaticServer({ getBody, getHeaders, createBody }) {
  const get = Buffer.from(getBody);
  const created = Buffer.from(createBody);
  const server = http.createServer((req, res) => {
    if (req.method === "GET") {
      res.writeHead(200, { ...getHeaders, "content-length": get.length });
      res.end(get);
      return;
    }
    req.resume();
    req.on("end", () => {
      res.writeHead(201, { ...getHeaders, "content-length": created.length });
      res.end(created);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
