/**
 * Compose the supergraph at start-up: fetch each subgraph's `_service { sdl }` and compose with
 * @theguild/federation-composition. Anything wrong stops start-up with every reason at once.
 */
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';

export interface SubgraphSource {
  name: string;
  url: string;
  optional?: boolean;
}

export interface Composed {
  supergraphSdl: string;
  /** The subgraphs in the supergraph (an unreachable optional one is left out). */
  subgraphs: { name: string; url: string }[];
  /** Optional subgraphs left out, with why. */
  skipped: { name: string; url: string; reason: string }[];
}

export async function fetchSdl(url: string, timeoutMs = 10_000): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let body: { data?: { _service?: { sdl?: string } }; errors?: { message: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${res.status}, not a GraphQL response: ${text.slice(0, 200)}`);
  }
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error(`no _service.sdl (HTTP ${res.status}${body.errors ? `: ${body.errors.map((e) => e.message).join('; ')}` : ''})`);
  return sdl;
}

export async function composeSupergraph(sources: SubgraphSource[]): Promise<Composed> {
  const fetched = await Promise.all(
    sources.map(async (s) => {
      try {
        return { ...s, sdl: await fetchSdl(s.url) };
      } catch (e) {
        const cause = (e as Error & { cause?: Error }).cause;
        return { ...s, error: `${(e as Error).message}${cause?.message ? ` (${cause.message})` : ''}` };
      }
    }),
  );
  const unreachable = fetched.filter((f) => 'error' in f && !f.optional);
  if (unreachable.length) {
    throw new Error(
      `The federation hub cannot start: cannot read the SDL of ${unreachable.map((f) => `"${f.name}"`).join(', ')}:\n` +
        unreachable.map((f) => `  - ${f.name} (${f.url}): ${'error' in f ? f.error : ''}`).join('\n') +
        '\nStart the subgraph, fix its URL in the hub config, or mark it "optional": true.',
    );
  }
  const reachable = fetched.filter((f): f is typeof f & { sdl: string } => 'sdl' in f);
  const skipped = fetched.flatMap((f) => ('error' in f ? [{ name: f.name, url: f.url, reason: f.error! }] : []));

  const services = [];
  const parseErrors: string[] = [];
  for (const f of reachable) {
    try {
      services.push({ name: f.name, url: f.url, typeDefs: parse(f.sdl) });
    } catch (e) {
      parseErrors.push(`  - ${f.name} (${f.url}): its SDL does not parse: ${(e as Error).message}`);
    }
  }
  const result = parseErrors.length ? null : composeServices(services);
  if (!result || result.errors) {
    const reasons = parseErrors.length ? parseErrors : result!.errors!.map((e) => `  - ${e.extensions?.code ? `[${e.extensions.code}] ` : ''}${e.message}`);
    throw new Error(
      `The federation hub cannot start: composing ${reachable.map((f) => `"${f.name}" (${f.url})`).join(', ')} failed:\n${reasons.join('\n')}`,
    );
  }
  return { supergraphSdl: result.supergraphSdl, subgraphs: reachable.map((f) => ({ name: f.name, url: f.url })), skipped };
}
