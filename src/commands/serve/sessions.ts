/**
 * The notebook-style sessions of execute_code, by id. A session belongs to the connection that opened it (another
 * client cannot use it, even knowing the id) and ends when that connection ends, after its idle timeout, or when a
 * run kills its worker. A connection keeps at most `perConnection` sessions: a new one ends its least recently used.
 * The server keeps at most `total` (each is a live worker; over HTTP the clients are many): past it a client that has
 * no session of its own to give up is refused, so one client cannot end another's sessions either.
 */
import type { Session } from "../../contracts/run.js";
import type { SkillLanguage } from "../../contracts/skill.js";
import { SkillsError } from "../../errors.js";

export interface SessionEntry {
  readonly id: string;
  readonly session: Session;
  readonly language: SkillLanguage;
  /** The connection that opened it; undefined in stateless HTTP (then the id alone grants access). */
  readonly owner: string | undefined;
  lastUsed: number;
}

export interface SessionLimits {
  perConnection: number;
  /** Sessions of all connections together. */
  total: number;
  /** Idle time after which the sandbox ends a session (for the message when one is gone). */
  idleTimeoutMs: number;
}

/** How many ended ids are remembered, to say "it ended" instead of "unknown". */
const REMEMBERED = 1000;

export class SessionRegistry {
  private readonly entries = new Map<string, SessionEntry>();
  /** Ended session ids and their owners. */
  private readonly ended = new Map<string, string | undefined>();

  constructor(private readonly limits: SessionLimits) {}

  /**
   * SESSION_LIMIT when a new session of `owner` would take the server past its total: checked before a worker is
   * started for it (then add() follows in the same tick).
   */
  ensureRoom(owner: string | undefined): void {
    this.prune();
    if (this.entries.size < this.limits.total) return;
    const mine = [...this.entries.values()].filter((entry) => entry.owner === owner).length;
    if (mine >= this.limits.perConnection) return; // its own least recently used one makes room
    throw new SkillsError(
      "SESSION_LIMIT",
      `this server keeps at most ${this.limits.total} execute_code sessions open, and all ${this.entries.size} are in use`,
      {
        hint: `run without session_id (a fresh sandbox for each call), or try again when a session ends (after ${Math.round(this.limits.idleTimeoutMs / 60_000)} min without a call)`,
      },
    );
  }

  /** Adds a session; returns the id of a session it had to end to stay within the connection's limit. */
  add(session: Session, owner: string | undefined): { entry: SessionEntry; evicted?: string } {
    this.prune();
    let evicted: string | undefined;
    const mine = [...this.entries.values()].filter((entry) => entry.owner === owner);
    if (mine.length >= this.limits.perConnection) {
      const oldest = mine.reduce((a, b) => (a.lastUsed <= b.lastUsed ? a : b));
      evicted = oldest.id;
      this.end(oldest);
    }
    const entry: SessionEntry = { id: session.id, session, language: session.language, owner, lastUsed: Date.now() };
    this.entries.set(entry.id, entry);
    return { entry, ...(evicted ? { evicted } : {}) };
  }

  /** The live session with this id for this connection; NOT_FOUND saying why otherwise. */
  get(id: string, owner: string | undefined): SessionEntry {
    const entry = this.entries.get(id);
    if (entry?.session.closed) this.forget(entry);
    else if (entry && (entry.owner === undefined || entry.owner === owner)) {
      entry.lastUsed = Date.now();
      return entry;
    }
    const minutes = Math.round(this.limits.idleTimeoutMs / 60_000);
    // Another connection's session is "no session" here: an id says nothing about sessions one may not use.
    const endedOwner = this.ended.get(id);
    const ended = this.ended.has(id) && (endedOwner === undefined || endedOwner === owner);
    const why = ended
      ? `session ${id} has ended (after ${minutes} min without a call, a run that was killed, or too many sessions): its variables are gone`
      : `there is no session ${id}`;
    throw new SkillsError("NOT_FOUND", why, {
      hint: 'pass session_id "new" to start a session, then the session_id it returns',
    });
  }

  /** Ends every session of a connection that went away. */
  async closeOwner(owner: string): Promise<void> {
    const mine = [...this.entries.values()].filter((entry) => entry.owner === owner);
    await Promise.all(mine.map((entry) => this.end(entry)));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => this.end(entry)));
  }

  /** Sessions alive now. */
  count(): number {
    this.prune();
    return this.entries.size;
  }

  private prune(): void {
    for (const entry of this.entries.values()) if (entry.session.closed) this.forget(entry);
  }

  private end(entry: SessionEntry): Promise<void> {
    this.forget(entry);
    return entry.session.close().catch(() => undefined);
  }

  private forget(entry: SessionEntry): void {
    this.entries.delete(entry.id);
    this.ended.set(entry.id, entry.owner);
    if (this.ended.size > REMEMBERED) this.ended.delete(this.ended.keys().next().value as string);
  }
}
