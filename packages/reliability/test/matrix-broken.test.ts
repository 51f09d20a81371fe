// Fault matrix, part 2: reset mid-body, session expired mid-work.
import { matrixSuite } from "./support/matrix-suite.js";

matrixSuite(["reset-mid-body", "401-expired"]);
