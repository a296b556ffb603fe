/**
 * Sign-in throttling by progressive delays (OWASP ASVS V2.2 anti-automation): after `free`
 * failures under a key, each further attempt must wait 1 s, 2 s, 4 s… (capped) after the last one.
 * An attempt is reserved (counted as a failure) before the password is checked and taken back if
 * it was right, so parallel attempts cannot all pass the check before any is counted.
 *
 * The state is behind `AttemptStore` so it can move to the database (issue 17); the memory store
 * here is per process, which is right for one instance on SQLite.
 */

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
  reset(): void;
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

export class MemoryAttemptStore implements AttemptStore {
  private readonly failures = new Map<string, Failures>();
  private readonly knownUntil = new Map<string, number>();

  constructor(private readonly capMs: number) {}

  private live(key: string, now: number): Failures | undefined {
    const f = this.failures.get(key);
    if (f && now - f.last > WINDOW_MS + delayAfter(f.count, f.free, this.capMs)) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }

  async reserve(keys: ThrottleKey[], now: number): Promise<number> {
    let wait = 0;
    for (const { key } of keys) {
      const f = this.live(key, now);
      if (f) wait = Math.max(wait, f.last + delayAfter(f.count, f.free, this.capMs) - now);
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

  reset(): void {
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
