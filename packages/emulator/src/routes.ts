// Every feature module registers its routes here: adding a module is one import + one line.
import { apexRoutes } from "./apex/index.js";
import { oauthRoutes } from "./auth/oauth.js";
import { soapRoutes } from "./auth/soap.js";
import { bulkRoutes } from "./bulk/index.js";
import { compositeRoutes } from "./rest/composite.js";
import { limitsRoutes } from "./rest/limits.js";
import { queryRoutes } from "./rest/query.js";
import { searchRoutes } from "./rest/search.js";
import { sobjectRoutes } from "./rest/sobjects.js";
import type { Router, RouteModule } from "./router.js";

export const ROUTE_MODULES: RouteModule[] = [
  soapRoutes,
  oauthRoutes,
  sobjectRoutes,
  queryRoutes,
  searchRoutes,
  limitsRoutes,
  compositeRoutes,
  bulkRoutes,
  apexRoutes,
];

export function registerRoutes(router: Router): void {
  for (const m of ROUTE_MODULES) m(router);
}
