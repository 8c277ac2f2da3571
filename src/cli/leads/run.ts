/**
 * The lead of `skills run` (src/cli/lead.ts): starts the skill's servers (early/run.ts) before the run's program
 * loads, taking over those a start plan started before the lead itself loaded (src/cli/startPlan.ts). The program
 * takes the modules below from this file instead of carrying its own copies (scripts/build.mjs makes every
 * `export *` here external to it): the registry of servers started early, the transport class the client pool checks
 * with instanceof, and the registry that ends every server group when the CLI exits or gets a signal.
 */
import { startChoice } from "../../commands/shared/earlyServers.js";
import type { StartChoice } from "../../contracts/startPlan.js";
import {
  adoptStarted,
  closeEarlyTransports,
  endUnaskedAdopted,
  type StartedServer,
} from "../../mcp/pool/earlyTransports.js";
import { early } from "../early/run.js";
import { startLead } from "../lead.js";

/** Takes over what a start plan started (src/cli/startPlan.ts), then starts what argv's run will need. */
export const lead = async (argv: readonly string[], started: readonly StartedServer[] = []): Promise<void> => {
  adoptStarted(started);
  try {
    await startLead("run", early, argv);
  } finally {
    endUnaskedAdopted();
  }
};
/** Ends the servers the lead started that the command did not take (the command ends them itself when it runs). */
export const end = (): Promise<void> => closeEarlyTransports();
/** What the next start of the same command line may start before it loads the lead. */
export const plan = (): StartChoice | undefined => startChoice();

export * from "../../mcp/pool/earlyTransports.js";
export * from "../../mcp/pool/lineBuffer.js";
export * from "../../mcp/pool/processRegistry.js";
export * from "../../mcp/pool/stdioTransport.js";
