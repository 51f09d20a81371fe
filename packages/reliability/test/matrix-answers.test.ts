// Fault matrix, part 3: HTML maintenance page, malformed JSON, 403 REQUEST_LIMIT_EXCEEDED, 300 on upsert.
import { matrixSuite } from "./support/matrix-suite.js";

matrixSuite(["html-500", "malformed-json", "403-limit", "300-upsert"]);
