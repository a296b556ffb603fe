/**
 * The plan's negotiation (issue 16), end to end over GraphQL: the department applies an allocation
 * (proposals beside the approved targets); a union's reporter counter-proposes a target with a
 * reason through the ordinary proposal machinery; the department accepts it, and the target is
 * approved and locked like any cell; another counter-proposal, rejected, leaves the allocated value
 * the department had approved. The gap view shows the approved targets afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await s.sql(`update figure set status = 'approved' where scenario = 'actual' and indicator_id = (select id from indicator where code = 'members')`);
}, 120_000);
afterAll(async () => s?.close());

const target = (u: string) => ({ unionCode: u, indicatorCode: 'members', year: 2023, scenario: 'TARGET' });
const cellOf = async (u: string) => {
  const r = await s.gql(`query($u: String!) { figure(unionCode: $u, indicatorCode: "members", year: 2023, scenario: TARGET) { value proposedValue status version revisions { change afterValue actor reason } } }`, { u });
  expect(r.errors).toBeUndefined();
  return r.data!.figure;
};
const propose = (u: string, value: number, version: number, reason: string) =>
  s.gql(`mutation($c: CellKey!, $v: Float!, $e: Int!, $r: String) { proposeFigure(cell: $c, value: $v, expectedVersion: $e, reason: $r) { value proposedValue status version } }`, { c: target(u), v: value, e: version, r: reason }, { as: 'reporter' });
const decide = (kind: 'approveFigures' | 'sendBackFigures', u: string, reason?: string, as: 'admin' | 'reviewer' = 'admin') =>
  s.gql(`mutation($c: [CellKey!]!${reason ? ', $r: String!' : ''}) { ${kind}(selection: { cells: $c }${reason ? ', reason: $r' : ''}) { movedCount } }`, { c: [target(u)], r: reason }, { as });

describe('negotiating the plan’s targets', () => {
  it('allocation → counter-proposal with a reason → accepted: approved and locked; another rejected keeps the allocated value; the gap view shows them', async () => {
    const preview = await s.gql(`mutation { previewAllocation(goal: { indicator: "members", value: 60000 }, key: MEMBERS, root: "P06") { token rows { union { code } allocated } } }`);
    expect(preview.errors).toBeUndefined();
    const allocated = new Map((preview.data!.previewAllocation.rows as { union: { code: string }; allocated: number }[]).map((r) => [r.union.code, r.allocated]));
    const applied = await s.gql(`mutation($t: String!) { applyAllocation(previewToken: $t) { proposed } }`, { t: preview.data!.previewAllocation.token });
    expect(applied.errors).toBeUndefined();

    // The allocation sits as a proposal beside P06-H02's approved target; its reporter counter-proposes.
    const h02 = await cellOf('P06-H02');
    expect(h02).toMatchObject({ status: 'APPROVED', proposedValue: allocated.get('P06-H02') });
    const counter = allocated.get('P06-H02')! - 150;
    const proposed = await propose('P06-H02', counter, h02.version, 'Hai doanh nghiệp lớn giải thể năm 2019');
    expect(proposed.errors).toBeUndefined();
    expect(proposed.data!.proposeFigure).toMatchObject({ value: h02.value, proposedValue: counter, status: 'APPROVED' });
    // Only the department decides: the reporter cannot accept its own counter-proposal.
    expect((await s.gql(`mutation($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }`, { c: [target('P06-H02')] }, { as: 'reporter' })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await decide('approveFigures', 'P06-H02')).data!.approveFigures.movedCount).toBe(1);
    const agreed = await cellOf('P06-H02');
    expect(agreed).toMatchObject({ value: counter, proposedValue: null, status: 'APPROVED' });
    expect(agreed.revisions.find((r: { reason: string | null }) => r.reason === 'Hai doanh nghiệp lớn giải thể năm 2019')).toMatchObject({ change: 'proposal', afterValue: counter, actor: 'reporter.backan' });
    // Locked like any cell: a plain write is refused.
    const write = await s.gql(`mutation($c: [CellWrite!]!) { setFigures(cells: $c) { figures { value } } }`, { c: [{ ...target('P06-H02'), value: counter + 1, expectedVersion: agreed.version }] }, { as: 'reporter' });
    expect(write.errors?.[0]?.extensions.code).toBe('LOCKED');

    // P06-H03: its allocation is approved — by Bắc Kạn's reviewer: four-eyes keeps the admin who applied it from approving
    // it — and a counter-proposal is then rejected by the department with a reason.
    expect((await decide('approveFigures', 'P06-H03')).errors?.[0]?.extensions.key).toBe('transition.fourEyes');
    const approvedAllocation = await decide('approveFigures', 'P06-H03', undefined, 'reviewer');
    expect(approvedAllocation.errors).toBeUndefined();
    expect(approvedAllocation.data!.approveFigures.movedCount).toBe(1);
    const h03 = await cellOf('P06-H03');
    expect(h03).toMatchObject({ value: allocated.get('P06-H03'), proposedValue: null, status: 'APPROVED' });
    expect((await propose('P06-H03', allocated.get('P06-H03')! - 500, h03.version, 'Xin giảm chỉ tiêu')).errors).toBeUndefined();
    expect((await decide('sendBackFigures', 'P06-H03', 'Chưa đủ căn cứ')).data!.sendBackFigures.movedCount).toBe(1);
    expect(await cellOf('P06-H03')).toMatchObject({ value: allocated.get('P06-H03'), proposedValue: null, status: 'APPROVED' });

    const gap = (await s.gql(`{ planGap(root: "P06", year: 2023) { union { code } allocated proposed approved } }`)).data!.planGap as { union: { code: string }; allocated: number; proposed: number | null; approved: number }[];
    expect(gap.find((g) => g.union.code === 'P06-H02')).toMatchObject({ allocated: allocated.get('P06-H02'), proposed: null, approved: counter });
    expect(gap.find((g) => g.union.code === 'P06-H03')).toMatchObject({ allocated: allocated.get('P06-H03'), proposed: null, approved: allocated.get('P06-H03') });
    // Where nothing was decided, the allocation still stands as a proposal beside the old approved target.
    const h04 = gap.find((g) => g.union.code === 'P06-H04')!;
    expect(h04.proposed).toBe(allocated.get('P06-H04'));
  });
});
