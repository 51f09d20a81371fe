// Runs the CLI from its TypeScript sources (spawned by the subprocess tests through tsx).
import { runFromProcess } from "../../src/main.js";

await runFromProcess();
