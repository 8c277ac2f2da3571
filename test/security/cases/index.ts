/** Every hostile program of the battery, by group. */
import type { HostileCase } from "./common.js";
import { secrets } from "./secrets.js";
import { writes } from "./writes.js";
import { network } from "./network.js";
import { privileges } from "./privileges.js";
import { signals } from "./signals.js";
import { resources } from "./resources.js";
import { bridge } from "./bridge.js";
import { hostSide } from "./hostSide.js";

export type { HostContext, HostileCase } from "./common.js";
export const GROUPS = { secrets, writes, network, signals, privileges, resources, bridge, hostSide };
export const CASES: HostileCase[] = [
  ...secrets,
  ...writes,
  ...network,
  ...signals,
  ...privileges,
  ...resources,
  ...bridge,
  ...hostSide,
];
