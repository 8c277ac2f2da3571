import { stat } from "node:fs/promises";
import { noteExists, noteFailure } from "./observedFiles.js";

/** True when something (file, folder, or a link's target) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    noteExists(path, await stat(path));
    return true;
  } catch (error) {
    noteFailure(path, error);
    return false;
  }
}
