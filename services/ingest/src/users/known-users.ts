/** How long a looked-up id is trusted: an alias found (it rarely changes), and no alias (one may come any time). */
export const KNOWN_USER_TTL_MS = 60_000;
export const NO_ALIAS_TTL_MS = 2_000;
/** Most ids remembered; the least recently used goes first. */
export const KNOWN_USERS_CACHE_SIZE = 10_000;

interface Entry {
  /** The known user, or null: not merged into one. */
  userId: string | null;
  expiresAt: number;
}

/**
 * The known users of merged anonymous ids, looked up in batches and remembered for a short while
 * in a bounded LRU (a Map in use order), so a stream of anonymous events costs a database read
 * per id every few seconds, not per event. What it misses (an alias made a moment ago, on
 * another instance) rules resolves anyway when it decides the event.
 */
export class KnownUsers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly lookup: (ids: string[]) => Promise<Map<string, string>>,
    private readonly now: () => number = Date.now,
    private readonly capacity = KNOWN_USERS_CACHE_SIZE,
  ) {}

  /** The known user of each of `ids` that was merged into one (absent: not merged). */
  async resolve(ids: string[]): Promise<Map<string, string>> {
    const now = this.now();
    const resolved = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const entry = this.entries.get(id);
      if (!entry || entry.expiresAt <= now) {
        missing.push(id);
        continue;
      }
      this.touch(id, entry);
      if (entry.userId !== null) resolved.set(id, entry.userId);
    }
    if (missing.length === 0) return resolved;
    const found = await this.lookup(missing);
    for (const id of missing) {
      const userId = found.get(id) ?? null;
      this.touch(id, { userId, expiresAt: now + (userId === null ? NO_ALIAS_TTL_MS : KNOWN_USER_TTL_MS) });
      if (userId !== null) resolved.set(id, userId);
    }
    return resolved;
  }

  /** Remembers an alias this instance just made (and that `userId` itself is no alias). */
  remember(previousId: string, userId: string): void {
    const now = this.now();
    this.touch(previousId, { userId, expiresAt: now + KNOWN_USER_TTL_MS });
    // Ids merged into the previous id now point at the known user: forget what was cached of them.
    for (const [id, entry] of this.entries) if (entry.userId === previousId) this.entries.delete(id);
  }

  private touch(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
