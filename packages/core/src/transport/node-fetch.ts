import type { Agent } from "node:http";
import type {
  Transport,
  TransportFactory,
  TransportRequest,
  TransportResponse,
  TransportSettings,
} from "../types.js";

type NodeFetch = typeof import("node-fetch").default;
let nodeFetch: Promise<NodeFetch> | undefined;
/** node-fetch once loaded: later requests take it without an await (a promise turn). */
let loadedFetch: NodeFetch | undefined;
const loadFetch = () => (nodeFetch ??= import("node-fetch").then((module) => (loadedFetch = module.default)));

/**
 * The default transport: node-fetch with one keep-alive agent per client (a new
 * connection per request would be a defect), proxies per request URL, and no automatic
 * decompression or redirects (core handles both, the same way for every transport).
 */
export const nodeFetchTransport: TransportFactory = (settings: TransportSettings): Transport => {
  const agentOptions = { keepAlive: true, maxSockets: 64, ...(settings.ca ? { ca: settings.ca } : {}) };
  // node:http and node:https are loaded on the first request, not at import: importing
  // @sfkit/core stays cheap for CLIs and serverless cold starts.
  let agents: Promise<{ http: Agent; https: Agent }> | undefined;
  let loadedAgents: { http: Agent; https: Agent } | undefined;
  const directAgents = () =>
    (agents ??= Promise.all([import("node:http"), import("node:https")]).then(
      ([http, https]) =>
        (loadedAgents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) }),
    ));
  const proxies = new Map<string, Promise<Agent>>();

  const proxyAgent = (proxyUrl: string): Promise<Agent> => {
    let agent = proxies.get(proxyUrl);
    if (!agent) {
      agent = import("https-proxy-agent").then(
        ({ HttpsProxyAgent }) => new HttpsProxyAgent(proxyUrl, agentOptions) as unknown as Agent,
      );
      proxies.set(proxyUrl, agent);
    }
    return agent;
  };

  return {
    name: "node-fetch",
    async send(request: TransportRequest): Promise<TransportResponse> {
      const fetch = loadedFetch ?? (await loadFetch());
      const proxy = settings.proxyFor(request.url);
      const agent = proxy
        ? await proxyAgent(proxy)
        : (loadedAgents ?? (await directAgents()))[request.url.startsWith("https:") ? "https" : "http"];
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body as never,
        agent,
        signal: request.signal as never,
        compress: false,
        redirect: "manual",
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value;
      });
      return { status: response.status, headers, body: response.body as AsyncIterable<Uint8Array> | null };
    },
    async close() {
      if (agents) {
        const { http, https } = await agents;
        http.destroy();
        https.destroy();
      }
      for (const agent of proxies.values()) (await agent).destroy();
    },
  };
};
