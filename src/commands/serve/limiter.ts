/**
 * At most `max` runs at once; the others wait their turn in order (many clients cannot start unbounded sandboxes).
 * drain() refuses what waits and settles when the runs under way have ended (shutdown).
 */
import { SkillsError } from "../../errors.js";

export class RunLimiter {
  private running = 0;
  private readonly waiting: { go: () => void; refuse: (error: Error) => void }[] = [];
  private readonly idle: (() => void)[] = [];
  private draining = false;

  constructor(private readonly max: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.draining) throw shuttingDown();
    // A finished run hands its slot straight to the next in line, so a newcomer cannot slip in between.
    if (this.running >= this.max) {
      await new Promise<void>((go, refuse) => this.waiting.push({ go, refuse }));
    } else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next.go();
      else {
        this.running -= 1;
        if (this.running === 0) for (const done of this.idle.splice(0)) done();
      }
    }
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  drain(): Promise<void> {
    this.draining = true;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(shuttingDown());
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}

function shuttingDown(): SkillsError {
  return new SkillsError("SANDBOX_FAILED", "the server is shutting down; the run did not start");
}
