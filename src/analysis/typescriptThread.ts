/**
 * The TypeScript usage analysis of a large batch on a worker thread: loading the compiler and parsing hundreds of
 * files costs about half a second of CPU, which then runs on another core while this thread goes on (`skills
 * validate` checks the skills' test files meanwhile). Small batches, and a thread that cannot start, are analysed
 * in this thread as before: the answer is the same function's either way.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SourceAnalysis } from "../contracts/compat.js";
import { analyseTypeScript, type TsSource } from "./typescript.js";

/** Below this many files the thread's start-up (~40 ms) buys nothing. */
export const WORKER_MIN_FILES = 32;

/** The compiled worker; absent when this module runs from its TypeScript source (tests), which then stays in-thread. */
const WORKER_SCRIPT = new URL("./typescriptWorker.js", import.meta.url);

export type WorkerAnswer = { ok: true; analyses: SourceAnalysis[] } | { ok: false; message: string };

export async function analyseTypeScriptOffThread(
  sources: TsSource[],
  minFiles = WORKER_MIN_FILES,
): Promise<SourceAnalysis[]> {
  if (sources.length < minFiles || !existsSync(fileURLToPath(WORKER_SCRIPT))) return analyseTypeScript(sources);
  return new Promise((resolve, reject) => {
    let settled = false;
    const inThread = () => {
      if (settled) return;
      settled = true;
      try {
        resolve(analyseTypeScript(sources));
      } catch (error) {
        reject(error);
      }
    };
    const worker = new Worker(WORKER_SCRIPT, { workerData: sources });
    worker.once("message", (answer: WorkerAnswer) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (answer.ok) resolve(answer.analyses);
      else reject(new Error(answer.message));
    });
    // a thread that fails to start or dies without an answer: the analysis is still owed
    worker.once("error", inThread);
    worker.once("exit", inThread);
  });
}
