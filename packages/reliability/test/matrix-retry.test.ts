// Fault matrix, part 1: 503 once, 503 with Retry-After, connection refused, reset before the response.
import { matrixSuite } from "./support/matrix-suite.js";

matrixSuite(["503-once", "503-retry-after", "refused", "reset-before"]);
