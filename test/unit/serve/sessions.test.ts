/** execute_code's session registry: owners, the per-connection limit, and why a session is gone. */
import { describe, expect, it } from "vitest";
import { SessionRegistry } from "../../../src/commands/serve/sessions.js";
import type { RunResult, Session } from "../../../src/contracts/run.js";

let next = 0;
function fakeSession(language: "python" | "typescript" = "python"): Session & { closeCalls: number } {
  const session = {
    id: `s${++next}`,
    language,
    closed: false,
    closeCalls: 0,
    execute: async () => ({}) as RunResult,
    async close() {
      session.closed = true;
      session.closeCalls += 1;
    },
  };
  return session;
}

const registry = () => new SessionRegistry({ perConnection: 2, total: 100, idleTimeoutMs: 600_000 });

describe("SessionRegistry", () => {
  it("gives a session back to the connection that opened it, and to no other", () => {
    const sessions = registry();
    const { entry } = sessions.add(fakeSession(), "conn-a");
    expect(sessions.get(entry.id, "conn-a").session).toBe(entry.session);
    expect(() => sessions.get(entry.id, "conn-b")).toThrow(/there is no session/);
  });

  it("stateless sessions (no owner) are reached by id alone", () => {
    const sessions = registry();
    const { entry } = sessions.add(fakeSession(), undefined);
    expect(sessions.get(entry.id, undefined).id).toBe(entry.id);
    expect(sessions.get(entry.id, "conn-b").id).toBe(entry.id);
  });

  it("ends a connection's least recently used session when it opens one too many", async () => {
    const sessions = registry();
    const first = sessions.add(fakeSession(), "a").entry;
    const second = sessions.add(fakeSession(), "a").entry;
    first.lastUsed = Date.now() + 10;
    second.lastUsed = Date.now() - 10;
    sessions.add(fakeSession(), "b");
    const third = sessions.add(fakeSession(), "a");
    expect(third.evicted).toBe(second.id);
    expect(second.session.closed).toBe(true);
    expect(sessions.count()).toBe(3);
    expect(() => sessions.get(second.id, "a")).toThrow(/has ended .*variables are gone/);
  });

  it("says a session ended when its worker died or it timed out", () => {
    const sessions = registry();
    const { entry } = sessions.add(fakeSession(), "a");
    (entry.session as { closed: boolean }).closed = true;
    expect(() => sessions.get(entry.id, "a")).toThrow(/has ended \(after 10 min without a call/);
    expect(sessions.count()).toBe(0);
  });

  it("closes the sessions of a connection that went away, and all at shutdown", async () => {
    const sessions = registry();
    const a = sessions.add(fakeSession(), "a").entry;
    const b = sessions.add(fakeSession(), "b").entry;
    await sessions.closeOwner("a");
    expect(a.session.closed).toBe(true);
    expect(b.session.closed).toBe(false);
    await sessions.closeAll();
    expect(b.session.closed).toBe(true);
    expect(sessions.count()).toBe(0);
  });
});

describe("SessionRegistry privacy", () => {
  it("does not tell another connection that a session of someone else ended", async () => {
    const sessions = registry();
    const { entry } = sessions.add(fakeSession(), "a");
    await sessions.closeOwner("a");
    expect(() => sessions.get(entry.id, "b")).toThrow(/there is no session/);
    expect(() => sessions.get(entry.id, "a")).toThrow(/has ended/);
  });
});
