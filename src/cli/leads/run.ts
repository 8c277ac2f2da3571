/**
 * The lead of `skills run` (src/cli/lead.ts): starts the skill's servers (early/run.ts) before the run's program
 * loads. The program takes the modules below from this file instead of carrying its own copies (scripts/build.mjs
 * makes every `export *` here external to it): the registry of servers started early, the transport class the client
 * pool checks with instanceof, and the registry that ends every server group when the CLI exits or gets a signal.
 */
import { closeEarlyTransports } from "../../mcp/pool/earlyTransports.js";
import { early } from "../early/run.js";
import { startLead } from "../lead.js";

export const lead = (argv: readonly string[]): Promise<void> => startLead("run", early, argv);
/** Ends the servers the lead started that the command did not take (the command ends them itself when it runs). */
export const end = (): Promise<void> => closeEarlyTransports();

export * from "../../mcp/pool/earlyTransports.js";
export * from "../../mcp/pool/lineBuffer.js";
export * from "../../mcp/pool/processRegistry.js";
export * from "../../mcp/pool/stdioTransport.js";
