/**
 * The TypeScript usage analysis of a large batch on a worker thread: loading the compiler and parsing hundreds of
 * files costs about half a second of CPU, which then runs on another core while this thread goes on (`skills
 * validate` loads the compiler there while it still reads the skills, and checks their test files while the code is
 * parsed). Small batches, and a thread that cannot start, are analysed in this thread as before: the answer is the
 * same function's either way.
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

/** A worker that loads the compiler as soon as it starts, then analyses one batch. */
export class TypeScriptThread {
  private used = false;
  /** Settles when the worker fails or exits: an answer that has not come by then never will. */
  private readonly ended: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.ended = new Promise((resolve) => {
      worker.once("error", () => resolve());
      worker.once("exit", () => resolve());
    });
    // waiting for its batch, the worker does not keep the process alive (a caller that fails never sends one)
    worker.unref();
  }

  /** Undefined where no compiled worker exists. */
  static start(): TypeScriptThread | undefined {
    if (!existsSync(fileURLToPath(WORKER_SCRIPT))) return undefined;
    try {
      return new TypeScriptThread(new Worker(WORKER_SCRIPT));
    } catch {
      return undefined;
    }
  }

  /** Analyses the batch; in this thread when the worker failed or dies without an answer. */
  analyse(sources: TsSource[]): Promise<SourceAnalysis[]> {
    if (this.used) throw new Error("a TypeScript thread analyses one batch");
    this.used = true;
    const worker = this.worker;
    worker.ref();
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
      worker.once("message", (answer: WorkerAnswer) => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        if (answer.ok) resolve(answer.analyses);
        else reject(new Error(answer.message));
      });
      void this.ended.then(inThread);
      try {
        worker.postMessage(sources);
      } catch {
        inThread();
      }
    });
  }

  /** Ends the worker (a batch in flight is then analysed in this thread). */
  close(): void {
    void this.worker.terminate();
  }
}

/** `thread`: one started earlier (it is used whatever the batch's size); else one is started for a large batch. */
export async function analyseTypeScriptOffThread(
  sources: TsSource[],
  minFiles = WORKER_MIN_FILES,
  thread?: TypeScriptThread,
): Promise<SourceAnalysis[]> {
  const worker = thread ?? (sources.length >= minFiles ? TypeScriptThread.start() : undefined);
  if (!worker) return analyseTypeScript(sources);
  return worker.analyse(sources);
}
