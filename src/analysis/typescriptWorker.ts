/**
 * Worker entry of TypeScriptThread: loads the compiler at once (while the caller still gathers the files), then
 * analyses the one batch it is sent and posts the answer.
 */
import { parentPort } from "node:worker_threads";
import { analyseTypeScript, type TsSource } from "./typescript.js";
import type { WorkerAnswer } from "./typescriptThread.js";
import { loadTypeScript } from "./tsLoader.js";

parentPort?.once("message", (sources: TsSource[]) => {
  let answer: WorkerAnswer;
  try {
    answer = { ok: true, analyses: analyseTypeScript(sources) };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(answer);
});
try {
  loadTypeScript();
} catch {
  // the analysis loads it again, and reports why it cannot
}
