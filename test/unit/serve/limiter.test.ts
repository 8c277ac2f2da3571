/** The cap on runs at once: order kept, no overtaking, a clean drain at shutdown. */
import { describe, expect, it } from "vitest";
import { RunLimiter } from "../../../src/commands/serve/limiter.js";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe("RunLimiter", () => {
  it("runs at most max at once, the rest in arrival order", async () => {
    const limiter = new RunLimiter(2);
    const started: number[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.queued]).toEqual([2, 2]);
    gates[1]!.open();
    await runs[1];
    // a newcomer arriving now waits behind the queue
    const late = limiter.run(async () => {
      started.push(99);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await Promise.all([...runs, late]);
    expect(started).toEqual([0, 1, 2, 3, 99]);
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
  });

  it("drain refuses what waits and settles when the running end", async () => {
    const limiter = new RunLimiter(1);
    const g = gate();
    const running = limiter.run(() => g.opened);
    const waiting = limiter.run(async () => "never");
    let drained = false;
    const drain = limiter.drain().then(() => {
      drained = true;
    });
    await expect(waiting).rejects.toThrow(/shutting down/);
    await expect(limiter.run(async () => 1)).rejects.toThrow(/shutting down/);
    expect(drained).toBe(false);
    g.open();
    await running;
    await drain;
    expect(drained).toBe(true);
  });
});
