/**
 * Users, grants, sessions and API tokens. Passwords are hashed with scrypt (Node's crypto);
 * session and API tokens are random and stored only as SHA-256, so the tables never hold
 * anything that signs in.
 */
import * as crypto from 'node:crypto';
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hasControlCharacters, ROLES, type Role } from '@unionhub/schema';
import { cacheKey, dialectOf, isoTime, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import type { Caller, Grant } from './access.js';
import { DbAttemptStore, MemoryAttemptStore, type AttemptStore, type ThrottleKey } from './throttle.js';
import { LIMITS } from '../config.js';
import { cachedCaller, forgetCallers } from './caller-cache.js';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((ok, fail) => scryptCb(password, salt, keylen, opts, (e, key) => (e ? fail(e) : ok(key))));

const SCRYPT = { N: 16384, r: 8, p: 1 };
export const SESSION_DAYS = 7;
export const TOKEN_DAYS = 90;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

/** Checked against when the user does not exist, so both failures take as long. */
const DUMMY_HASH = hashPassword(randomBytes(12).toString('hex'));

/** Node's one-shot hash (20.12+; a fifth of createHash's cost, and a request hashes its credential up to three times). */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}

function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export interface UserRow {
  id: number;
  username: string;
  displayName: string;
  disabled: boolean;
  createdAt: string;
}

const USER_COLUMNS = ['id', 'username', 'display_name as displayName', 'disabled', 'created_at as createdAt'];
const toUser = (r: Record<string, unknown>): UserRow => ({ ...(r as unknown as UserRow), disabled: Boolean(r.disabled), createdAt: isoTime(r.createdAt) });

export async function listUsers(db: Db): Promise<UserRow[]> {
  return (await db('app_user').select(USER_COLUMNS).orderBy('username')).map(toUser);
}

export async function userByName(db: Db, username: string): Promise<UserRow> {
  const r = await db('app_user').select(USER_COLUMNS).where('username', username).first();
  if (!r) throw new DomainError('NOT_FOUND', `Unknown user "${username}"`);
  return toUser(r);
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,99}$/;

/** A name shown to people (users, tokens): no control characters or bidi overrides (schema's one check). */
function checkName(field: string, value: string, label: string): void {
  if (hasControlCharacters(value)) throw new DomainError('VALIDATION', `${label} must not contain control characters or direction overrides`, { fields: [field] });
  if (!value.trim()) throw new DomainError('VALIDATION', `${label} is required`, { fields: [field] });
}

export async function createUser(db: Db, input: { username: string; displayName: string; password: string }): Promise<UserRow> {
  checkName('username', input.username, 'A username');
  if (!USERNAME.test(input.username)) throw new DomainError('VALIDATION', 'A username is 3–100 lowercase letters, digits, ".", "_" or "-"', { fields: ['username'] });
  checkName('displayName', input.displayName, 'A display name');
  if (input.password.length < 10) throw new DomainError('VALIDATION', 'A password has at least 10 characters', { fields: ['password'] });
  if (await db('app_user').where('username', input.username).first()) throw new DomainError('CONFLICT', `User "${input.username}" exists`);
  await db('app_user').insert({
    username: input.username, display_name: input.displayName.trim(), password_hash: await hashSlots.run(() => hashPassword(input.password)),
    disabled: false, created_at: new Date(),
  });
  return userByName(db, input.username);
}

export async function setUserDisabled(db: Db, username: string, disabled: boolean): Promise<UserRow> {
  const user = await userByName(db, username);
  await db.transaction(async (trx) => {
    await trx('app_user').where('id', user.id).update({ disabled });
    // Disabling ends every session at once.
    if (disabled) await trx('user_session').where('user_id', user.id).delete();
  });
  await forgetCallers(db);
  return userByName(db, username);
}

export async function grantsOf(db: Db, userId: number): Promise<Grant[]> {
  return db('role_grant as g')
    .join('trade_union as u', 'u.id', 'g.union_id')
    .select('g.id', 'g.role', 'u.code as unionCode', 'u.path')
    .where('g.user_id', userId)
    .whereNull('g.revoked_at')
    .orderBy('g.id');
}

export async function grantRole(db: Db, input: { username: string; role: string; unionCode: string }, by: string): Promise<Grant> {
  if (!ROLES.some((r) => r.role === input.role)) throw new DomainError('VALIDATION', `Unknown role "${input.role}"`);
  const user = await userByName(db, input.username);
  const union = await db('trade_union').select('id').where('code', input.unionCode).first();
  if (!union) throw new DomainError('NOT_FOUND', `Unknown union "${input.unionCode}"`);
  const [row] = await db('role_grant')
    .insert({ user_id: user.id, role: input.role, union_id: union.id, granted_by: by, granted_at: new Date(), revoked_at: null })
    .returning('id');
  await forgetCallers(db);
  const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
  return (await grantsOf(db, user.id)).find((g) => g.id === id)!;
}

export async function revokeGrant(db: Db, grantId: number): Promise<boolean> {
  const changed = await db('role_grant').where('id', grantId).whereNull('revoked_at').update({ revoked_at: new Date() });
  await forgetCallers(db);
  if (changed === 0) throw new DomainError('NOT_FOUND', `No active grant ${grantId}`);
  return true;
}

// ---- who a token or session is (cached: caller-cache.ts) ----

/** A user and its grants by id (null if unknown or disabled): also how a download ticket names its caller. */
export async function callerOf(db: Db, userId: number): Promise<Caller | null> {
  const user = await db('app_user').select('id', 'username', 'display_name as displayName', 'disabled').where('id', userId).first();
  if (!user || user.disabled) return null;
  return { userId: user.id, username: user.username, displayName: user.displayName, grants: await grantsOf(db, user.id) };
}

// ---- sign-in: progressive delays, attempts reserved before the hash, hashing bounded ----

/**
 * Three keys, each with its own free failures before delays begin (domain/throttle.ts):
 * - the (username, address) pair: SIGNIN_FREE_FAILURES — the one that slows a guesser at the user;
 * - the address: 4× that, over every username — slows spraying many usernames from one place;
 * - the username over all addresses: 4× that — slows an attacker spread over many addresses.
 * A pair that signed in successfully in the last 30 days is known: only its own pair key applies,
 * so neither a spray from the same address (everyone behind one proxy) nor a distributed attack on
 * the username can keep that user out. Nothing is ever locked: an attempt after its delay is
 * checked normally, and the right password gets in.
 */
const FREE = LIMITS.SIGNIN_FREE_FAILURES;
const attemptStores = new WeakMap<object, AttemptStore>();
/** One instance (SQLite) counts in memory; several on one PostgreSQL count in the database, together. */
function attemptsOf(db: Db): AttemptStore {
  let store = attemptStores.get(cacheKey(db));
  if (!store) {
    const capMs = LIMITS.SIGNIN_MAX_DELAY_SECONDS * 1000;
    store = dialectOf(db) === 'postgresql' ? new DbAttemptStore(db, capMs) : new MemoryAttemptStore(capMs);
    attemptStores.set(cacheKey(db), store);
  }
  return store;
}

/**
 * scrypt runs on libuv's thread pool (4 threads), the same pool node-sqlite3's queries run on: a
 * few hashes at a time, a bounded queue behind them, and past the queue a refusal at once.
 */
class HashSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** What the tests and the bench read: checks made, hashes in flight now and at most. */
  readonly stats = { passwordChecks: 0, hashing: 0, maxHashing: 0 };

  constructor(private readonly size: number, private readonly queue: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running++;
    else if (this.waiting.length < this.queue) await new Promise<void>((ok) => this.waiting.push(ok));
    else throw new DomainError('RATE_LIMITED', 'Too many sign-ins at once; try again in a moment', { retryAfter: 1, ...said('auth.busy', { retryAfter: 1 }) });
    this.stats.hashing++;
    this.stats.maxHashing = Math.max(this.stats.maxHashing, this.stats.hashing);
    try {
      return await fn();
    } finally {
      this.stats.hashing--;
      // The slot passes to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
const hashSlots = new HashSlots(LIMITS.SIGNIN_HASH_CONCURRENCY, LIMITS.SIGNIN_HASH_QUEUE);

export function signInStats(): Readonly<HashSlots['stats']> {
  return { ...hashSlots.stats };
}

/** Tests: forget every failure and known address of a database, and the most hashes seen in flight. */
export async function resetSignInLimits(db: Db): Promise<void> {
  await attemptsOf(db).reset();
  hashSlots.stats.maxHashing = hashSlots.stats.hashing;
}

export interface SignedIn {
  caller: Caller;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

function tooSoon(waitMs: number): DomainError {
  const retryAfter = Math.ceil(waitMs / 1000);
  return new DomainError('RATE_LIMITED', `Too many failed sign-ins; try again in ${retryAfter} s`, { retryAfter, ...said('auth.slowDown', { retryAfter }) });
}

export async function signIn(db: Db, username: string, password: string, address: string): Promise<SignedIn> {
  const now = Date.now();
  const attempts = attemptsOf(db);
  const name = username.toLowerCase();
  const pair = `p:${name}|${address}`;
  const keys: ThrottleKey[] = [{ key: pair, free: FREE }];
  if (!(await attempts.known(pair, now))) keys.push({ key: `a:${address}`, free: FREE * 4 }, { key: `u:${name}`, free: FREE * 4 });
  // Counted as a failure before the hash: parallel attempts see each other's.
  const wait = await attempts.reserve(keys, now);
  if (wait > 0) throw tooSoon(wait);
  let user: { id: number; hash: string; disabled: boolean } | undefined;
  let ok: boolean;
  try {
    user = await db('app_user').select('id', 'password_hash as hash', 'disabled').where('username', username).first();
    ok = await hashSlots.run(async () => {
      hashSlots.stats.passwordChecks++;
      return user ? verifyPassword(password, user.hash) : (await verifyPassword(password, await DUMMY_HASH), false);
    });
  } catch (e) {
    // No password was checked (a full queue, a database fault): not a failure.
    await attempts.release(keys.map((k) => k.key));
    throw e;
  }
  if (!user || !ok || user.disabled) {
    // The same answer whether the user is unknown, disabled or the password wrong.
    throw new DomainError('UNAUTHENTICATED', 'Wrong username or password', said('auth.wrongCredentials'));
  }
  await attempts.clear(pair);
  await attempts.release(keys.slice(1).map((k) => k.key));
  await attempts.remember(pair, now);
  const sessionToken = newToken('uhs_');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now + SESSION_DAYS * 86_400_000);
  await db('user_session').insert({ user_id: user.id, token_hash: sha256(sessionToken), csrf_token: csrfToken, created_at: new Date(now), expires_at: expiresAt });
  return { caller: (await callerOf(db, user.id))!, sessionToken, csrfToken, expiresAt };
}

export async function signOut(db: Db, sessionToken: string): Promise<void> {
  await db('user_session').where('token_hash', sha256(sessionToken)).delete();
  await forgetCallers(db);
}

export function callerFromSession(db: Db, sessionToken: string): Promise<{ caller: Caller; csrfToken: string } | null> {
  const hash = sha256(sessionToken);
  return cachedCaller(db, `s:${hash}`, async () => {
    const s = await db('user_session').select('user_id as userId', 'csrf_token as csrfToken', 'expires_at as expiresAt').where('token_hash', hash).first();
    const expiresAt = s ? Date.parse(isoTime(s.expiresAt)) : 0;
    if (!s || expiresAt <= Date.now()) return null;
    const caller = await callerOf(db, s.userId);
    return caller ? { value: { caller, csrfToken: s.csrfToken as string }, expiresAt } : null;
  });
}

// ---- API tokens ----

export interface TokenRow {
  id: number;
  username: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  /** Who issued it (null: issued outside the API, by a script, or before this was recorded). */
  issuedBy: string | null;
}

const TOKEN_COLUMNS = ['t.id', 'u.username', 't.name', 't.prefix', 't.issued_by as issuedBy', 't.created_at as createdAt', 't.expires_at as expiresAt', 't.revoked_at as revokedAt', 't.last_used_at as lastUsedAt'];
const toToken = (r: Record<string, unknown>): TokenRow => ({
  ...(r as unknown as TokenRow),
  createdAt: isoTime(r.createdAt),
  expiresAt: isoTime(r.expiresAt),
  revokedAt: r.revokedAt === null ? null : isoTime(r.revokedAt),
  lastUsedAt: r.lastUsedAt === null ? null : isoTime(r.lastUsedAt),
});

export async function listTokens(db: Db): Promise<TokenRow[]> {
  return (await db('api_token as t').join('app_user as u', 'u.id', 't.user_id').select(TOKEN_COLUMNS).orderBy('t.id')).map(toToken);
}

/** Returns the token in clear: the only time it exists outside the caller's hands. */
export async function issueToken(db: Db, input: { username: string; name: string; expiresInDays?: number | null }, issuedBy: string | null = null): Promise<{ token: string; info: TokenRow }> {
  const days = input.expiresInDays ?? TOKEN_DAYS;
  if (!(days > 0 && days <= 366)) throw new DomainError('VALIDATION', 'A token expires within 1 to 366 days', { fields: ['expiresInDays'] });
  checkName('name', input.name, 'A token name');
  const user = await userByName(db, input.username);
  const token = newToken('uht_');
  const now = new Date();
  const [row] = await db('api_token')
    .insert({ user_id: user.id, name: input.name.trim(), token_hash: sha256(token), prefix: token.slice(0, 10), issued_by: issuedBy, created_at: now, expires_at: new Date(now.getTime() + days * 86_400_000), revoked_at: null, last_used_at: null })
    .returning('id');
  const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
  return { token, info: (await listTokens(db)).find((t) => t.id === id)! };
}

export async function revokeToken(db: Db, id: number): Promise<boolean> {
  const changed = await db('api_token').where('id', id).whereNull('revoked_at').update({ revoked_at: new Date() });
  await forgetCallers(db);
  if (changed === 0) throw new DomainError('NOT_FOUND', `No active token ${id}`);
  return true;
}

export function callerFromToken(db: Db, token: string): Promise<Caller | null> {
  const hash = sha256(token);
  return cachedCaller(db, `t:${hash}`, async () => {
    const t = await db('api_token')
      .select('id', 'user_id as userId', 'expires_at as expiresAt', 'revoked_at as revokedAt', 'last_used_at as lastUsedAt')
      .where('token_hash', hash)
      .first();
    const expiresAt = t ? Date.parse(isoTime(t.expiresAt)) : 0;
    if (!t || t.revokedAt !== null || expiresAt <= Date.now()) return null;
    // A write per request would cost more than the request: record use at most once a minute.
    if (t.lastUsedAt === null || Date.now() - Date.parse(isoTime(t.lastUsedAt)) > 60_000) {
      await db('api_token').where('id', t.id).update({ last_used_at: new Date() });
    }
    const caller = await callerOf(db, t.userId);
    return caller ? { value: caller, expiresAt } : null;
  });
}

export type { Role };
