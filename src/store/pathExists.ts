import { stat } from "node:fs/promises";
import { failureSignature, noteSignature, signatureOf } from "./observedFiles.js";

/** True when something (file, folder, or a link's target) is at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    noteSignature(path, signatureOf(await stat(path)));
    return true;
  } catch (error) {
    noteSignature(path, failureSignature(error));
    return false;
  }
}
