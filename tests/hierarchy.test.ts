import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('hierarchy queries through the real server', () => {
  it('lists the 63 provinces, ~20 sectoral and a few corporate unions at level 1', async () => {
    const r = await s.gql(`{ p: unions(level: 1, kind: PROVINCIAL_FEDERATION) { code } s: unions(level: 1, kind: SECTORAL_UNION) { code } c: unions(level: 1, kind: CORPORATE_UNION) { code } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.p).toHaveLength(63);
    expect(r.data!.s).toHaveLength(20);
    expect(r.data!.c.length).toBeGreaterThanOrEqual(3);
    const [{ n }] = (await s.sql<{ n: number }>('select count(*) as n from trade_union where level = 2')) as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(1300);
    expect(n).toBeLessThanOrEqual(1600);
  });

  it('gives a union its parent, children, ancestors and subtree', async () => {
    const r = await s.gql(`{ union(code: "P06-H02") { name level parent { code name } ancestors { code } }
      bk: union(code: "P06") { children { code } subtree(depth: 1) { code level } } }`);
    expect(r.errors).toBeUndefined();
    const u = r.data!.union;
    expect(u.level).toBe(2);
    expect(u.parent.code).toBe('P06');
    expect(u.ancestors.map((a: { code: string }) => a.code)).toEqual(['TLD', 'P06']);
    // Bắc Kạn had 20 direct superior unions (DOMAIN.md).
    expect(r.data!.bk.children).toHaveLength(20);
    expect(r.data!.bk.subtree[0]).toEqual({ code: 'P06', level: 1 });
    expect(r.data!.bk.subtree).toHaveLength(21);
  });

  it("builds each year's tree: a split district and merged industrial zones", async () => {
    const q = `query ($y: Int!) { hn: union(code: "P01") { children(year: $y) { code } } bd: union(code: "P74") { children(year: $y) { code } } }`;
    const codes = async (y: number) => {
      const r = await s.gql(q, { y });
      expect(r.errors).toBeUndefined();
      return { hn: r.data!.hn.children.map((c: any) => c.code), bd: r.data!.bd.children.map((c: any) => c.code) };
    };
    const y2014 = await codes(2014);
    const y2016 = await codes(2016);
    expect(y2014.hn).toContain('P01-H05');
    expect(y2014.hn).not.toContain('P01-H31');
    expect(y2016.hn).not.toContain('P01-H05');
    expect(y2016.hn).toEqual(expect.arrayContaining(['P01-H31', 'P01-H32']));
    expect(y2014.bd).toEqual(expect.arrayContaining(['P74-K01', 'P74-K02']));
    expect(y2016.bd).toContain('P74-K04');
    expect(y2016.bd).not.toContain('P74-K01');
    const links = await s.gql(`{ union(code: "P74-K04") { predecessors { union { code } year kind } } old: union(code: "P01-H05") { successors { union { code } year kind } } }`);
    expect(links.data!.union.predecessors).toEqual([
      { union: { code: 'P74-K01' }, year: 2015, kind: 'merge' },
      { union: { code: 'P74-K02' }, year: 2015, kind: 'merge' },
    ]);
    expect(links.data!.old.successors.map((x: any) => x.union.code).sort()).toEqual(['P01-H31', 'P01-H32']);
  });

  it('searches names with and without Vietnamese diacritics', async () => {
    const r = await s.gql(`{ a: unions(search: "Bắc Kạn", level: 1) { code } b: unions(search: "bac kan", level: 1) { code } c: unions(search: "BAC KAN", level: 1) { code } d: unions(search: "ho chi minh") { code } none: unions(search: "zzzz") { code } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.a).toEqual([{ code: 'P06' }]);
    expect(r.data!.b).toEqual([{ code: 'P06' }]);
    expect(r.data!.c).toEqual([{ code: 'P06' }]);
    expect(r.data!.d.map((x: any) => x.code)).toContain('P79');
    expect(r.data!.none).toEqual([]);
  });

  it('refuses bad arguments with a coded error', async () => {
    const r = await s.gql(`{ unions(limit: 0) { code } }`);
    expect(r.errors![0]!.extensions.code).toBe('VALIDATION');
    const d = await s.gql(`{ union(code: "TLD") { subtree(depth: 9) { code } } }`);
    expect(d.errors![0]!.extensions.code).toBe('VALIDATION');
  });

  it('lists the catalogue with period-specific labels', async () => {
    const r = await s.gql(`{ indicators { code kind computed } strong: indicator(code: "grade.strong") { l2016: label(year: 2016) l2020: label(year: 2020) }
      el: indicator(code: "enterprises.eligible") { l2016: label(year: 2016) l2022: label(year: 2022) } }`);
    expect(r.data!.indicators).toHaveLength(45);
    expect(r.data!.indicators.find((i: any) => i.code === 'coverage')).toEqual({ code: 'coverage', kind: 'ratio', computed: true });
    expect(r.data!.strong).toEqual({ l2016: 'CĐCS vững mạnh', l2020: 'Hoàn thành xuất sắc nhiệm vụ' });
    expect(r.data!.el.l2016).toMatch(/30 lao động/);
    expect(r.data!.el.l2022).toMatch(/25 lao động/);
  });
});
