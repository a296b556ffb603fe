/**
 * Reconciliation and approval through the real server: the seeded discrepancies, their life,
 * the incremental re-check inside a write, the state machine, proposals, comments, audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANTS } from '@unionhub/seeds';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const D = `id rule { id } union { code } indicator { code } year scenario state leftValue rightValue difference explanation decidedBy history { change beforeState afterState actor reason }`;
const CELL = `value status version proposedValue approvedBy revisions { change beforeValue afterValue beforeStatus afterStatus version actor reason } comments { author text }`;

async function cell(u: string, i: string, y: number, scenario = 'ACTUAL', as: 'admin' | 'reporter' | 'reviewer' = 'admin') {
  const r = await s.gql(`query ($u: String!, $i: String!, $y: Int!, $s: Scenario!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) { ${CELL} } }`, { u, i, y, s: scenario }, { as });
  expect(r.errors).toBeUndefined();
  return r.data!.figure;
}
const set = (u: string, i: string, y: number, value: number | null, expectedVersion: number, as: 'admin' | 'reporter' = 'admin') =>
  s.gql(`mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { value version status } } }`, { c: [{ unionCode: u, indicatorCode: i, year: y, scenario: 'ACTUAL', value, expectedVersion }] }, { as });
const move = (kind: string, selection: unknown, as: 'admin' | 'reporter' | 'reviewer', reason?: string) =>
  s.gql(`mutation ($sel: FigureSelection!${reason ? ', $reason: String!' : ''}) { r: ${kind}(selection: $sel${reason ? ', reason: $reason' : ''}) { movedCount skippedCount reasons { reason count } moved { unionCode indicatorCode status version } } }`, { sel: selection, reason }, { as });
const key = (u: string, i: string, y: number, scenario = 'ACTUAL') => ({ unionCode: u, indicatorCode: i, year: y, scenario });
async function discrepancies(root: string, extra = '') {
  const r = await s.gql(`{ discrepancies(root: "${root}"${extra}) { ${D} } }`);
  expect(r.errors).toBeUndefined();
  return r.data!.discrepancies as any[];
}

describe('discrepancies of the seeded data', () => {
  it('lists exactly the planted ones, open, after the seed’s full run; a second run changes nothing', async () => {
    const all = await discrepancies('TLD', ', states: [OPEN]');
    const got = all.map((d) => `${d.rule.id}|${d.union.code}|${d.indicator.code}|${d.year}`).sort();
    const expected = PLANTS.flatMap((p) => p.expect.map((e) => `${e.rule}|${e.union}|${e.indicator}|${e.year}`)).sort();
    expect(got).toEqual(expected);
    const again = await s.gql('mutation { runReconciliation { found opened reopened resolved } }');
    expect(again.data!.runReconciliation).toEqual({ found: expected.length, opened: 0, reopened: 0, resolved: 0 });
  });

  it('filters by subtree, year and rule, and drills a hierarchy discrepancy down to the children', async () => {
    const p01 = await s.gql(`{ discrepancies(root: "P01", year: 2015, ruleId: "hierarchy.sum") { leftValue rightValue difference drillDown { union { code } value } } }`);
    const [d] = p01.data!.discrepancies;
    expect(d.difference).toBe(-7); // the province reported 7 fewer than its districts sum to
    expect(d.drillDown.length).toBeGreaterThan(25);
    expect(d.drillDown.reduce((a: number, c: any) => a + c.value, 0)).toBe(d.rightValue);
    expect(d.drillDown.map((c: any) => c.union.code)).toContain('P01-H03');
    const none = await s.gql(`{ discrepancies(root: "P06") { id } }`);
    expect(none.data!.discrepancies).toEqual([]);
    const bad = await s.gql(`{ discrepancies(root: "TLD", ruleId: "nope") { id } }`);
    expect(bad.errors![0]!.extensions.code).toBe('VALIDATION');
  });

  it('is not shown to a viewer, nor outside a reviewer’s subtree', async () => {
    expect((await s.gql(`{ discrepancies(root: "TLD") { id } }`, {}, { as: 'viewer' })).data!.discrepancies).toEqual([]);
    expect((await s.gql(`{ discrepancies(root: "TLD") { id } }`, {}, { as: 'reviewer' })).data!.discrepancies).toEqual([]);
  });
});

describe('a discrepancy’s life', () => {
  it('closes by itself when an edit makes the rule pass, in the same request, and re-opens when it recurs', async () => {
    // child-sum-leaf: P01-H03 officials.trained 2015 is 7 more than P01 counted.
    const [d] = await discrepancies('P01', ', year: 2015, ruleId: "hierarchy.sum"');
    const c = await cell('P01-H03', 'officials.trained', 2015);
    const fixed = await set('P01-H03', 'officials.trained', 2015, c.value - 7, c.version);
    expect(fixed.errors).toBeUndefined();
    const after = (await s.gql(`{ discrepancy(id: ${d.id}) { state history { change afterState actor } } }`)).data!.discrepancy;
    expect(after.state).toBe('RESOLVED');
    expect(after.history.map((h: any) => h.change)).toEqual(['opened', 'resolved']);
    expect(after.history[1].actor).toBe('admin');
    // The edit moved the district's history: the outlier rule must not have fired on it.
    expect((await discrepancies('P01-H03')).filter((x) => x.state === 'OPEN')).toEqual([]);
    const back = await set('P01-H03', 'officials.trained', 2015, c.value, c.version + 1);
    expect(back.errors).toBeUndefined();
    const reopened = (await s.gql(`{ discrepancy(id: ${d.id}) { state difference history { change } } }`)).data!.discrepancy;
    expect(reopened).toMatchObject({ state: "OPEN", difference: -7 });
    expect(reopened.history.map((h: any) => h.change)).toEqual(['opened', 'resolved', 'reopened']);
  });

  it('opens a new discrepancy when an edit breaks a rule', async () => {
    const c = await cell('P06-H03', 'members.women', 2016);
    const m = await cell('P06-H03', 'members', 2016);
    await set('P06-H03', 'members.women', 2016, m.value + 1, c.version);
    const found = (await discrepancies('P06-H03', ', year: 2016')).map((x) => `${x.rule.id}|${x.union.code}|${x.state}`);
    // Women above the total, and the province no longer sums up.
    expect(found).toEqual(expect.arrayContaining(['group.women|P06-H03|OPEN']));
    const p06 = (await discrepancies('P06', ', year: 2016, ruleId: "hierarchy.sum"')).map((x) => `${x.union.code}|${x.indicator.code}`);
    expect(p06).toEqual(['P06|members.women']);
  });

  it('is explained by a reporter, accepted or waived by a reviewer with a reason, and refuses other moves', async () => {
    const [women] = await discrepancies('P06-H03', ', ruleId: "group.women"');
    const explain = await s.gql(`mutation { explainDiscrepancy(id: ${women.id}, text: "Số liệu nữ lấy từ báo cáo quý") { state explanation } }`, {}, { as: 'reporter' });
    expect(explain.data!.explainDiscrepancy).toEqual({ state: 'EXPLAINED', explanation: 'Số liệu nữ lấy từ báo cáo quý' });
    const reporterAccept = await s.gql(`mutation { acceptDiscrepancy(id: ${women.id}, text: "ok") { state } }`, {}, { as: 'reporter' });
    expect(reporterAccept.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const noReason = await s.gql(`mutation { waiveDiscrepancy(id: ${women.id}, text: " ") { state } }`, {}, { as: 'reviewer' });
    expect(noReason.errors![0]!.extensions.code).toBe('VALIDATION');
    const waived = await s.gql(`mutation { waiveDiscrepancy(id: ${women.id}, text: "Đã xác minh") { state decidedBy decisionReason } }`, {}, { as: 'reviewer' });
    expect(waived.data!.waiveDiscrepancy).toEqual({ state: 'WAIVED', decidedBy: 'reviewer.backan', decisionReason: 'Đã xác minh' });
    const again = await s.gql(`mutation { acceptDiscrepancy(id: ${women.id}, text: "x") { state } }`, {}, { as: 'reviewer' });
    expect(again.errors![0]!.extensions.code).toBe('FORBIDDEN_TRANSITION');
    const history = (await s.gql(`{ discrepancy(id: ${women.id}) { history { change beforeState afterState actor reason } } }`)).data!.discrepancy.history;
    expect(history.map((h: any) => [h.change, h.beforeState, h.afterState, h.actor])).toEqual([
      ['opened', null, 'OPEN', 'admin'],
      ['explained', 'OPEN', 'EXPLAINED', 'reporter.backan'],
      ['waived', 'EXPLAINED', 'WAIVED', 'reviewer.backan'],
    ]);
  });
});

describe('approval, cell by cell', () => {
  it('walks draft → submitted → approved and refuses every other transition', async () => {
    const k = key('P06-H04', 'funding', 2016);
    const c = await cell('P06-H04', 'funding', 2016);
    expect(c.status).toBe('SUBMITTED');
    const refused = async (kind: string, as: 'reporter' | 'reviewer', reason?: string) => {
      const r = await move(kind, { cells: [k] }, as, reason);
      expect(r.errors?.[0]?.extensions.code, `${kind} as ${as}`).toBe('FORBIDDEN_TRANSITION');
    };
    await refused('submitFigures', 'reporter'); // already submitted
    await refused('reopenFigures', 'reviewer', 'x'); // not approved
    // A reporter never approves.
    expect((await move('approveFigures', { cells: [k] }, 'reporter')).errors![0]!.extensions.code).toBe('FORBIDDEN');
    // Send back needs a reason.
    expect((await move('sendBackFigures', { cells: [k] }, 'reviewer', ' ')).errors![0]!.extensions.code).toBe('VALIDATION');
    const back = await move('sendBackFigures', { cells: [k] }, 'reviewer', 'Thiếu chứng từ');
    expect(back.data!.r.moved[0].status).toBe('DRAFT');
    await refused('approveFigures', 'reviewer'); // draft cannot be approved
    await refused('sendBackFigures', 'reviewer', 'x');
    expect((await move('submitFigures', { cells: [k] }, 'reporter')).data!.r.moved[0].status).toBe('SUBMITTED');
    const approved = await move('approveFigures', { cells: [k] }, 'reviewer');
    expect(approved.data!.r.moved[0]).toMatchObject({ status: 'APPROVED', version: c.version + 3 });
    await refused('approveFigures', 'reviewer');
    await refused('submitFigures', 'reporter');
    const after = await cell('P06-H04', 'funding', 2016);
    expect(after.approvedBy).toBe('reviewer.backan');
    expect(after.revisions.map((r: any) => [r.change, r.beforeStatus, r.afterStatus, r.actor, r.reason])).toEqual([
      ['status', 'SUBMITTED', 'DRAFT', 'reviewer.backan', 'Thiếu chứng từ'],
      ['status', 'DRAFT', 'SUBMITTED', 'reporter.backan', null],
      ['status', 'SUBMITTED', 'APPROVED', 'reviewer.backan', null],
    ]);
  });

  it('locks an approved cell: a plain write is LOCKED; a proposal keeps the approved value until approved', async () => {
    const before = await cell('P06-H04', 'funding', 2016);
    expect((await set('P06-H04', 'funding', 2016, 1, before.version, 'reporter')).errors![0]!.extensions.code).toBe('LOCKED');
    const p = await s.gql(`mutation ($c: CellKey!, $v: Int!) { proposeFigure(cell: $c, value: 99.5, expectedVersion: $v, reason: "Sai số") { value proposedValue status } }`, { c: key('P06-H04', 'funding', 2016), v: before.version }, { as: 'reporter' });
    expect(p.data!.proposeFigure).toEqual({ value: before.value, proposedValue: 99.5, status: 'APPROVED' });
    // A viewer still sees the approved value only.
    const seen = await s.gql(`{ figure(unionCode: "P06-H04", indicatorCode: "funding", year: 2016, scenario: ACTUAL) { value } }`, {}, { as: 'viewer' });
    expect(seen.data!.figure.value).toBe(before.value);
    const grid = await s.gql(`{ grid(root: "P06-H04", depth: 0, years: [2016], indicators: ["funding"]) { rows { values } } }`, {}, { as: 'viewer' });
    expect(grid.data!.grid.rows[0].values).toEqual([before.value]);
    const approved = await move('approveFigures', { cells: [key('P06-H04', 'funding', 2016)] }, 'reviewer');
    expect(approved.errors).toBeUndefined();
    const after = await cell('P06-H04', 'funding', 2016);
    expect(after).toMatchObject({ value: 99.5, proposedValue: null, status: 'APPROVED' });
    expect(after.revisions.slice(-2).map((r: any) => [r.change, r.beforeValue, r.afterValue, r.actor])).toEqual([
      ['proposal', null, 99.5, 'reporter.backan'],
      ['proposal', before.value, 99.5, 'reviewer.backan'],
    ]);
    const reopen = await move('reopenFigures', { cells: [key('P06-H04', 'funding', 2016)] }, 'reviewer', 'Mở lại để sửa');
    expect(reopen.data!.r.moved[0].status).toBe('DRAFT');
  });

  it('refuses a whole list when one cell does not qualify, writing nothing', async () => {
    const cells = [key('P06-H05', 'funding', 2016), key('P06-H05', 'funding', 2015), key('P01-H01', 'funding', 2016)];
    const before = await Promise.all([cell('P06-H05', 'funding', 2016), cell('P06-H05', 'funding', 2015)]);
    const r = await move('approveFigures', { cells }, 'reviewer');
    expect(r.errors!.map((e) => [e.extensions.index, e.extensions.code])).toEqual([[2, 'FORBIDDEN']]);
    const after = await Promise.all([cell('P06-H05', 'funding', 2016), cell('P06-H05', 'funding', 2015)]);
    expect(after.map((c) => c.version)).toEqual(before.map((c) => c.version));
  });

  it('approves a unit-year, and "all that pass" in a subtree, with counts of what did not and why', async () => {
    const unit = await move('approveFigures', { unitYear: { unionCode: 'P06-H06', year: 2015, scenario: 'ACTUAL' } }, 'reviewer');
    expect(unit.errors).toBeUndefined();
    expect(unit.data!.r.movedCount).toBe(44);
    // P46 has planted grade discrepancies in 2016 (P46-H04, P46, TLD): those cells are held back.
    const planted = await s.gql(`{ discrepancies(root: "P46", year: 2016) { union { code } } }`);
    expect(planted.data!.discrepancies.length).toBe(2);
    const all = await move('approveFigures', { subtree: { root: 'P46', year: 2016, scenario: 'ACTUAL', onlyPassing: true } }, 'admin');
    expect(all.errors).toBeUndefined();
    const { movedCount, skippedCount, reasons } = all.data!.r;
    expect(reasons).toEqual([{ reason: 'an open discrepancy blocks it', count: 12 }]); // 6 grading cells × 2 unions
    expect(skippedCount).toBe(12);
    const [{ n }] = (await s.sql(`select count(*) as n from figure f join trade_union u on u.id = f.union_id where u.path like '/TLD/P46/%' and f.year = 2016 and f.scenario = 'actual'`)) as [{ n: number }];
    expect(movedCount + skippedCount).toBe(Number(n));
    const progress = await s.gql(`{ approvalProgress(root: "P46", depth: 1, years: [2016]) { union { code } draft submitted approved openDiscrepancies } }`);
    const p46 = progress.data!.approvalProgress.find((r: any) => r.union.code === 'P46');
    expect(p46).toMatchObject({ submitted: 12, approved: movedCount, draft: 0, openDiscrepancies: 2 });
  });

  it('keeps comments in the cell’s history', async () => {
    const k = key('P06-H07', 'members', 2016);
    const r = await s.gql(`mutation ($c: CellKey!) { commentFigure(cell: $c, text: "Đã đối chiếu với danh sách") { version } }`, { c: k }, { as: 'reporter' });
    expect(r.errors).toBeUndefined();
    const c = await cell('P06-H07', 'members', 2016);
    expect(c.comments).toEqual([{ author: 'reporter.backan', text: 'Đã đối chiếu với danh sách' }]);
    expect(c.revisions.map((x: any) => [x.change, x.actor, x.reason])).toEqual([['comment', 'reporter.backan', 'Đã đối chiếu với danh sách']]);
    expect((await s.gql(`mutation ($c: CellKey!) { commentFigure(cell: $c, text: "x") { version } }`, { c: k }, { as: 'viewer' })).errors![0]!.extensions.code).toBe('FORBIDDEN');
  });

  it('announces status changes and discrepancy changes to subscribers', async () => {
    const figures = await s.subscribe('subscription { figuresChanged(root: "P06-H08") { actor figures { indicatorCode status } } }');
    const found = await s.subscribe('subscription { discrepanciesChanged(root: "P06") { rule { id } union { code } state } }', 'reviewer');
    const m = await cell('P06-H08', 'members', 2015);
    const w = await cell('P06-H08', 'members.women', 2015);
    await set('P06-H08', 'members.women', 2015, m.value + 3, w.version, 'reporter');
    expect((await figures.next()).data.figuresChanged).toEqual({ actor: 'reporter.backan', figures: [{ indicatorCode: 'members.women', status: 'DRAFT' }] });
    const opened = (await found.next()).data.discrepanciesChanged;
    expect(opened).toEqual(expect.arrayContaining([{ rule: { id: 'group.women' }, union: { code: 'P06-H08' }, state: 'OPEN' }]));
    await move('approveFigures', { cells: [key('P06-H08', 'members', 2015)] }, 'reviewer');
    expect((await figures.next()).data.figuresChanged).toEqual({ actor: 'reviewer.backan', figures: [{ indicatorCode: 'members', status: 'APPROVED' }] });
    figures.close();
    found.close();
  });
});
