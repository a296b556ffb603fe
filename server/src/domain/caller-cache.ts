/** Who a token or session is, kept a few seconds per database; emptied on every change to callers, on every instance. */
import { cacheKey, type Db } from './db.js';
import { SETTINGS } from '../config.js';

/**
 * Each request names its caller by a token or session, which costs three queries (token, user,
 * grants); on SQLite they wait for the one connection like every write. The answer is kept AUTH_CACHE_SECONDS (5 by default;
 * 0 turns it off) per database. Anything here that changes a caller (a grant, a revocation, a user
 * disabled, a sign-out) empties it at once, here and — through server/src/cluster.ts — on the other
 * instances on the same PostgreSQL. Expiry is checked on every use.
 */
const CALLER_CACHE_MS = SETTINGS.AUTH_CACHE_SECONDS * 1000;
const MAX_CACHED_CALLERS = 10_000;

interface CachedCaller<T> {
  value: T;
  until: number;
}
/** `generation` moves on every change, so a look-up that began before the change is not kept. */
interface CallerCache {
  entries: Map<string, CachedCaller<unknown>>;
  /**
   * Unknown credentials (until when), apart: a flood of forged tokens must not push the valid
   * callers out. Bounded; the oldest go first.
   */
  unknown: Map<string, number>;
  generation: number;
}
const callerCaches = new WeakMap<object, CallerCache>();

function cacheOf(db: Db): CallerCache {
  let cache = callerCaches.get(cacheKey(db));
  if (!cache) callerCaches.set(cacheKey(db), (cache = { entries: new Map(), unknown: new Map(), generation: 0 }));
  return cache;
}

/** `load` answers the value and until when it holds (the token's or session's own expiry). */
export async function cachedCaller<T>(db: Db, key: string, load: () => Promise<{ value: T; expiresAt: number } | null>): Promise<T | null> {
  const now = Date.now();
  const cache = cacheOf(db);
  const hit = cache.entries.get(key);
  if (hit && hit.until > now) return hit.value as T;
  if ((cache.unknown.get(key) ?? 0) > now) return null;
  cache.entries.delete(key);
  cache.unknown.delete(key);
  const generation = cache.generation;
  const found = await load();
  if (CALLER_CACHE_MS > 0 && cache.generation === generation) {
    if (found) {
      if (cache.entries.size >= MAX_CACHED_CALLERS) cache.entries.clear();
      cache.entries.set(key, { value: found.value, until: Math.min(now + CALLER_CACHE_MS, found.expiresAt) });
    } else {
      // Kept too: the rate guard and the context both ask, and a random value never becomes valid
      // later (new tokens and sessions are new random values).
      if (cache.unknown.size >= MAX_CACHED_CALLERS) cache.unknown.delete(cache.unknown.keys().next().value!);
      cache.unknown.set(key, now + CALLER_CACHE_MS);
    }
  }
  return found?.value ?? null;
}

/** Empty this instance's caller cache (also what another instance's change asks of it). */
export function forgetCallersHere(db: Db): void {
  const cache = cacheOf(db);
  cache.entries.clear();
  cache.unknown.clear();
  cache.generation++;
}

/** Who else must hear of a change to callers (the other instances: server/src/cluster.ts). */
const callerListeners = new WeakMap<object, Set<() => Promise<void>>>();
export function onCallersChanged(db: Db, listener: () => Promise<void>): () => void {
  const set = callerListeners.get(cacheKey(db)) ?? callerListeners.set(cacheKey(db), new Set()).get(cacheKey(db))!;
  set.add(listener);
  return () => void set.delete(listener);
}

/**
 * After any change to users, grants, tokens or sessions (committed): every caller is looked up
 * afresh here, and the other instances are told before the change is answered.
 */
export async function forgetCallers(db: Db): Promise<void> {
  forgetCallersHere(db);
  for (const tell of callerListeners.get(cacheKey(db)) ?? []) await tell();
}
