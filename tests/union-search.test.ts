/**
 * findUnions, the union picker's search: diacritics-insensitive (marks stripped, đ read as d),
 * ranked (exact, then prefix), limited, and only over the unions the caller may read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { FindUnionsQuery } from '../schema/src/documents/index.js';
import { startTestServer, type As, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

interface Found { code: string; name: string; level: number; ancestors: { code: string; name: string }[] }
const QUERY = print(FindUnionsQuery);
async function find(text: string, opts: { limit?: number; as?: As } = {}): Promise<Found[]> {
  const r = await s.gql<{ findUnions: Found[] }>(QUERY, { text, limit: opts.limit ?? 10 }, { as: opts.as });
  expect(r.errors).toBeUndefined();
  return r.data!.findUnions;
}
const codes = (list: Found[]) => list.map((u) => u.code);

describe('findUnions', () => {
  it('matches a name with or without diacritics, đ as d, best match first', async () => {
    const plain = await find('ha noi');
    expect(plain[0]).toMatchObject({ code: 'P01', name: 'LĐLĐ thành phố Hà Nội', level: 1 });
    expect(codes(await find('Hà Nội'))).toEqual(codes(plain));
    expect(codes(await find('HÀ NỘI'))).toEqual(codes(plain));
    // Each match is in the caller's tree, with its parent to tell homonyms apart.
    for (const u of plain) expect(u.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()).toContain('ha noi');
    expect(plain.find((u) => u.code === 'P01-K01')?.ancestors.map((a) => a.code)).toEqual(['TLD', 'P01']);

    const dien = await find('dien bien');
    expect(dien[0]).toMatchObject({ code: 'P11', name: 'LĐLĐ tỉnh Điện Biên' });
    expect(codes(await find('Điện Biên'))).toEqual(codes(dien));
    expect(codes(await find('ĐIỆN BIÊN'))).toEqual(codes(dien));
    expect((await find('da nang'))[0]!.name).toMatch(/Đà Nẵng/);
  });

  it('ranks an exact name or code, then names and codes starting with the text, before the rest', async () => {
    expect((await find('ldld tinh bac kan'))[0]!.code).toBe('P06');
    expect((await find('p06'))[0]!.code).toBe('P06');
    const prefix = codes(await find('P06-H0', { limit: 20 }));
    expect(prefix.length).toBeGreaterThan(3);
    expect(prefix).toEqual([...prefix].sort());
    for (const c of prefix) expect(c.startsWith('P06-H0')).toBe(true);
    // "cong doan khu" starts some names and sits inside none: all matches start with it.
    const kcn = await find('cong doan khu', { limit: 20 });
    expect(kcn.length).toBeGreaterThan(1);
    for (const u of kcn) expect(u.name).toMatch(/^Công đoàn Khu/);
  });

  it('returns at most `limit`, refuses a limit over 50, and nothing for blank text', async () => {
    expect(await find('cong doan', { limit: 5 })).toHaveLength(5);
    expect(await find('cong doan', { limit: 50 })).toHaveLength(50);
    const r = await s.gql(QUERY, { text: 'cong doan', limit: 51 });
    expect(r.errors?.[0]?.extensions.code).toBe('VALIDATION');
    expect(await find('   ')).toEqual([]);
    expect(await find('zzzz qqq')).toEqual([]);
    // LIKE's wildcards are text, not patterns.
    expect(await find('%')).toEqual([]);
    expect(await find('_')).toEqual([]);
  });

  it('finds for a reporter only the unions it may read', async () => {
    expect(await find('ha noi', { as: 'reporter' })).toEqual([]);
    expect(codes(await find('ha noi', { as: 'viewer' }))).toEqual(codes(await find('ha noi')));
    const own = await find('ldld', { as: 'reporter', limit: 50 });
    expect(own.length).toBeGreaterThan(1);
    for (const u of own) expect(u.code === 'P06' || u.ancestors.some((a) => a.code === 'P06')).toBe(true);
    expect(codes(await find('son duc', { as: 'reporter' }))).toEqual(['P06-H01']);
    expect(codes(await find('son duc', { as: 'admin' }))).toContain('P06-H01');
    const anon = await s.gql(QUERY, { text: 'ha noi', limit: 10 }, { as: 'anonymous' });
    expect(anon.data?.findUnions ?? []).toEqual([]);
  });

  it('answers within the ~1,500 unions by one query (timed for the note, not asserted)', async () => {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await find(i % 2 ? 'ha noi' : 'cong doan nganh');
    console.log(`findUnions: ${((performance.now() - t0) / 20).toFixed(1)} ms per request over HTTP`);
  });
});
