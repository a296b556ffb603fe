/**
 * Who is at the other end: the one helper (`clientAddress`) every per-address decision uses (rate
 * limits, sign-in throttling, the context's `address`).
 *
 * - Behind a reverse proxy the direct peer is the proxy. `TRUST_PROXY` names the proxies whose
 *   X-Forwarded-For is believed: a number of hops, or a list of addresses/CIDRs ("loopback" for
 *   127.0.0.0/8 and ::1). The client is then the right-most address that is not a trusted proxy
 *   (entries left of it are whatever the client wrote, so they are never taken). Off by default:
 *   a header anyone can send is not believed unless the operator says who wrote it.
 * - The hub calls our own /graphql (in this process, or over HTTP when its config points elsewhere),
 *   so every hub caller would be one address. The hub adds the real client's address and this
 *   process's random secret; only a request carrying that secret has its address header believed (a
 *   config pointing the hub at another instance is then seen as the hub's own address, the safe side).
 */
import { BlockList, isIP } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type TrustProxy = { hops: number } | { list: BlockList } | null;

/** '' / '0' / 'false' → null; '2' → two hops; '10.0.0.1, 10.1.0.0/16, loopback' → those. Throws with the reason. */
export function parseTrustProxy(value: string): TrustProxy {
  const v = value.trim();
  if (v === '' || v === '0' || v === 'false') return null;
  if (/^\d+$/.test(v)) return { hops: Number(v) };
  const list = new BlockList();
  for (const entry of v.split(',').map((e) => e.trim()).filter(Boolean)) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address, bits, extra] = entry.split('/');
    const kind = isIP(address ?? '');
    if (!kind || extra !== undefined || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new Error(`"${entry}" is not an address, a CIDR or "loopback" (TRUST_PROXY is a number of hops or a comma list of those)`);
    }
    const type = kind === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address!, type);
    else if (Number(bits) > (kind === 4 ? 32 : 128)) throw new Error(`"${entry}": a /${bits} prefix is too long`);
    else list.addSubnet(address!, Number(bits), type);
  }
  return { list };
}

/** An address as the socket or a header gives it → plain IPv4/IPv6, or null if it is not one. */
function normalise(raw: string | undefined): string | null {
  if (!raw) return null;
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a)) a = a.slice(7);
  return isIP(a) ? a : null;
}

function trusted(trust: { list: BlockList }, address: string): boolean {
  return trust.list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

// ---- the hub's calls to our own subgraph ----

export const HUB_CLIENT_HEADER = 'x-unionhub-client';
export const HUB_SECRET_HEADER = 'x-unionhub-hub-secret';
/** Made at start, never leaves the process except on the hub's loopback calls to ourselves. */
const HUB_SECRET = randomBytes(32).toString('base64url');

function isHubSecret(sent: unknown): boolean {
  if (typeof sent !== 'string' || sent.length !== HUB_SECRET.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(HUB_SECRET));
}

/** Does the request carry this process's hub secret? */
export function fromOwnHub(req: IncomingMessage): boolean {
  return isHubSecret(req.headers[HUB_SECRET_HEADER]);
}

/**
 * A call of our own hub made in this process (no socket, app.ts): the client address it vouches for
 * with the secret, as `clientAddress` believes it over HTTP; null without the secret.
 */
export function vouchedClient(headers: Headers): string | null {
  if (!isHubSecret(headers.get(HUB_SECRET_HEADER))) return null;
  return normalise(headers.get(HUB_CLIENT_HEADER) ?? '') ?? 'unknown';
}

/** The hub, on a request it received: put the client's address on it (overwriting whatever the client sent). */
export function markHubClient(req: IncomingMessage): IncomingMessage {
  req.headers[HUB_CLIENT_HEADER] = clientAddress(req);
  delete req.headers[HUB_SECRET_HEADER];
  return req;
}

/** The hub, calling our own subgraph: the headers that make it believe the client's address. */
export function hubSelfHeaders(request: Request): Record<string, string> {
  return { [HUB_SECRET_HEADER]: HUB_SECRET, [HUB_CLIENT_HEADER]: request.headers.get(HUB_CLIENT_HEADER) ?? '' };
}

// ---- the client's address ----

const resolved = new WeakMap<IncomingMessage, string>();

function resolveAddress(req: IncomingMessage, trust: TrustProxy): string {
  const peer = normalise(req.socket.remoteAddress) ?? 'unknown';
  if (fromOwnHub(req)) return normalise(String(req.headers[HUB_CLIENT_HEADER] ?? '')) ?? peer;
  if (!trust || peer === 'unknown') return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',').filter((e) => e.trim());
  // Right to left: the peer first, then each address a proxy added.
  const chain = [peer, ...forwarded.reverse().map(normalise)];
  let i = 0;
  while (i + 1 < chain.length && chain[i + 1] !== null && ('hops' in trust ? i < trust.hops : trusted(trust, chain[i]!))) i++;
  return chain[i]!;
}

/**
 * Work out the request's client once, at the server's door, with the app's TRUST_PROXY; every
 * later `clientAddress(req)` answers the same.
 */
export function admitClient(req: IncomingMessage, trust: TrustProxy): string {
  const address = resolveAddress(req, trust);
  resolved.set(req, address);
  return address;
}

/** The caller's address (see the top of this file). */
export function clientAddress(req: IncomingMessage): string {
  return resolved.get(req) ?? resolveAddress(req, null);
}
