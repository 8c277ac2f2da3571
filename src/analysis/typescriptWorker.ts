/** Worker entry of analyseTypeScriptOffThread: analyses the sources it was started with and posts one answer. */
import { parentPort, workerData } from "node:worker_threads";
import { analyseTypeScript, type TsSource } from "./typescript.js";
import type { WorkerAnswer } from "./typescriptThread.js";

let answer: WorkerAnswer;
try {
  answer = { ok: true, analyses: analyseTypeScript(workerData as TsSource[]) };
} catch (error) {
  answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort?.postMessage(answer);
