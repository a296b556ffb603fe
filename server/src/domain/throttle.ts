/**
 * Sign-in throttling by progressive delays (OWASP ASVS V2.2 anti-automation): after `free`
 * failures under a key, each further attempt must wait 1 s, 2 s, 4 s… (capped) after the last one.
 * An attempt is reserved (counted as a failure) before the password is checked and taken back if
 * it was right, so parallel attempts cannot all pass the check before any is counted.
 *
 * The state is behind `AttemptStore`: in memory for one instance (SQLite), in the database for
 * several on one PostgreSQL (issue 17: the limit counts across instances).
 */
import type { Db } from './db.js';

export interface ThrottleKey {
  key: string;
  /** Failures allowed before delays begin. */
  free: number;
}

export interface AttemptStore {
  /**
   * Atomically: when no key must wait, count one failure under each and answer 0; otherwise count
   * nothing and answer the longest wait, in ms.
   */
  reserve(keys: ThrottleKey[], now: number): Promise<number>;
  /** Take back one failure `reserve` counted (the password was right, or no check ran). */
  release(keys: string[]): Promise<void>;
  /** Forget a key's failures. */
  clear(key: string): Promise<void>;
  /** Remember a key as known (a user signed in from this address), for `KNOWN_MS`. */
  remember(key: string, now: number): Promise<void>;
  known(key: string, now: number): Promise<boolean>;
  /** Forget everything (tests). */
  reset(): Promise<void>;
}

/** Failures are forgotten this long after the last one (and its delay) passed. */
const WINDOW_MS = 15 * 60_000;
/** How long a successful (username, address) pair stays known. */
export const KNOWN_MS = 30 * 86_400_000;
/** Keys kept at most; the least recently touched go first (they are the nearest to being forgotten anyway). */
const MAX_KEYS = 100_000;

/** The wait after `failures` failures: none up to `free`, then 1 s, doubling, up to `capMs`. */
export function delayAfter(failures: number, free: number, capMs: number): number {
  if (failures < free) return 0;
  return Math.min(capMs, 1000 * 2 ** Math.min(failures - free, 30));
}

interface Failures {
  count: number;
  last: number;
  free: number;
}

/** Failures still counting at `now`: forgotten WINDOW_MS after the last one's delay has passed. */
const expired = (f: Failures, now: number, capMs: number) => now - f.last > WINDOW_MS + delayAfter(f.count, f.free, capMs);
/** How long a key must still wait at `now` (≤ 0: not at all). */
const waitOf = (f: Failures, now: number, capMs: number) => f.last + delayAfter(f.count, f.free, capMs) - now;

export class MemoryAttemptStore implements AttemptStore {
  private readonly failures = new Map<string, Failures>();
  private readonly knownUntil = new Map<string, number>();

  constructor(private readonly capMs: number) {}

  private live(key: string, now: number): Failures | undefined {
    const f = this.failures.get(key);
    if (f && expired(f, now, this.capMs)) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }

  async reserve(keys: ThrottleKey[], now: number): Promise<number> {
    let wait = 0;
    for (const { key } of keys) {
      const f = this.live(key, now);
      if (f) wait = Math.max(wait, waitOf(f, now, this.capMs));
    }
    if (wait > 0) return wait;
    for (const { key, free } of keys) {
      const f = this.live(key, now) ?? { count: 0, last: now, free };
      // Re-inserted, so the map's order is least recently touched first.
      this.failures.delete(key);
      this.failures.set(key, { count: f.count + 1, last: now, free });
    }
    this.bound(this.failures);
    return 0;
  }

  async release(keys: string[]): Promise<void> {
    for (const key of keys) {
      const f = this.failures.get(key);
      if (f && --f.count <= 0) this.failures.delete(key);
    }
  }

  async clear(key: string): Promise<void> {
    this.failures.delete(key);
  }

  async remember(key: string, now: number): Promise<void> {
    this.knownUntil.delete(key);
    this.knownUntil.set(key, now + KNOWN_MS);
    this.bound(this.knownUntil);
  }

  async known(key: string, now: number): Promise<boolean> {
    return (this.knownUntil.get(key) ?? 0) > now;
  }

  async reset(): Promise<void> {
    this.failures.clear();
    this.knownUntil.clear();
  }

  private bound(map: Map<string, unknown>): void {
    for (const key of map.keys()) {
      if (map.size <= MAX_KEYS) break;
      map.delete(key);
    }
  }
}

/**
 * The same rules in the database (PostgreSQL), shared by every instance: `reserve` locks the keys'
 * rows (in key order, so two sign-ins never wait on each other in a cycle) and counts under all of
 * them or none.
 */
export class DbAttemptStore implements AttemptStore {
  private sweptAt = 0;
  constructor(private readonly db: Db, private readonly capMs: number) {}

  async reserve(keys: ThrottleKey[], now: number): Promise<number> {
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const wait = await this.db.transaction(async (trx) => {
      await trx('signin_failure').insert(sorted.map(({ key, free }) => ({ key, count: 0, last_ms: now, free }))).onConflict('key').ignore();
      const rows = (await trx('signin_failure').whereIn('key', sorted.map((k) => k.key)).orderBy('key').forUpdate()
        .select('key', 'count', 'last_ms as last', 'free')) as { key: string; count: number; last: string | number; free: number }[];
      const live = new Map(rows.map((r) => {
        const f = { count: Number(r.count), last: Number(r.last), free: Number(r.free) };
        return [r.key, expired(f, now, this.capMs) ? { ...f, count: 0 } : f];
      }));
      const longest = Math.max(0, ...[...live.values()].map((f) => (f.count > 0 ? waitOf(f, now, this.capMs) : 0)));
      if (longest > 0) return longest;
      for (const { key, free } of sorted) {
        await trx('signin_failure').where('key', key).update({ count: (live.get(key)?.count ?? 0) + 1, last_ms: now, free });
      }
      return 0;
    });
    await this.sweep(now);
    return wait;
  }

  async release(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db('signin_failure').whereIn('key', keys).decrement('count', 1);
    await this.db('signin_failure').whereIn('key', keys).where('count', '<=', 0).delete();
  }

  async clear(key: string): Promise<void> {
    await this.db('signin_failure').where('key', key).delete();
  }

  async remember(key: string, now: number): Promise<void> {
    await this.db('signin_known').insert({ key, until_ms: now + KNOWN_MS }).onConflict('key').merge();
  }

  async known(key: string, now: number): Promise<boolean> {
    return Boolean(await this.db('signin_known').where('key', key).andWhere('until_ms', '>', now).first('key'));
  }

  async reset(): Promise<void> {
    await this.db('signin_failure').delete();
    await this.db('signin_known').delete();
  }

  /** Now and then, forget what no longer counts (a failure past its window, a pair no longer known). */
  private async sweep(now: number): Promise<void> {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    await this.db('signin_failure').where('last_ms', '<', now - WINDOW_MS - this.capMs).delete();
    await this.db('signin_known').where('until_ms', '<', now).delete();
  }
}
