// Fault matrix, part 3: time-outs (a delay longer than the client's per-attempt time-out).
import { matrixSuite } from "./support/matrix-suite.js";

matrixSuite(["timeout"]);
