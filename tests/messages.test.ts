/**
 * The message catalogue (schema/src/messages.ts) against what the server really sends: every error code
 * has a Vietnamese and an English template; refusals driven through the real server (sign-in, cell
 * writes, status changes, comments, discrepancies, imports, exports) carry a key of the catalogue and
 * every param its templates name, and render in both languages with vi-VN numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { ERROR_CODES, MESSAGE_KEYS, isMessageKey, renderMessage, templateOf, templateParams, type MessageParams } from '../schema/src/index.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 120_000);
afterAll(() => s?.close());

interface Said {
  key: string;
  params: MessageParams;
}
/** Every key the server sent in this file, with the params it came with. */
const seen = new Map<string, MessageParams[]>();

function expectSaid(said: Said, where: string): void {
  expect(isMessageKey(said.key), `${where}: ${said.key} is a key of the catalogue`).toBe(true);
  for (const lang of ['vi', 'en'] as const) {
    for (const p of templateParams(templateOf(said.key, lang)!)) expect(said.params, `${where}: ${said.key} (${lang}) needs {${p}}`).toHaveProperty(p);
    const text = renderMessage(said.key, said.params, lang)!;
    expect(text).not.toMatch(/[{}]/);
    expect(text.length).toBeGreaterThan(3);
  }
  seen.set(said.key, [...(seen.get(said.key) ?? []), said.params]);
}

/** The errors of a GraphQL answer, each checked; returns their keys. */
function keysOf(r: { errors?: { message: string; extensions: Record<string, any> }[] }): string[] {
  expect(r.errors?.length, 'the request was refused').toBeGreaterThan(0);
  for (const e of r.errors!) expectSaid({ key: e.extensions.key, params: e.extensions.params }, e.message);
  return r.errors!.map((e) => e.extensions.key as string);
}

const paramsOf = (list: { name: string; text: string | null; number: number | null }[]): MessageParams =>
  Object.fromEntries(list.map((p) => [p.name, p.number ?? p.text]));

const SET = 'mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }';
const SIGN_IN = 'mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { csrfToken } }';

async function cellOf(union: string, indicator: string, year: number, scenario = 'actual') {
  const [c] = await s.sql<{ version: number; value: number; status: string }>(
    `select f.version, f.value, f.status from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
     where u.code = ? and i.code = ? and f.year = ? and f.scenario = ?`,
    [union, indicator, year, scenario],
  );
  return c!;
}

describe('the catalogue', () => {
  it('has a Vietnamese and an English template for every error code and every key, with the same params', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(templateOf(code, 'vi'), code).toBeTruthy();
      expect(templateOf(code, 'en'), code).toBeTruthy();
      expect(templateOf(code, 'vi')).not.toBe(templateOf(code, 'en'));
    }
    for (const key of MESSAGE_KEYS) expect(templateParams(templateOf(key, 'vi')!).sort(), key).toEqual(templateParams(templateOf(key, 'en')!).sort());
  });

  it('formats numbers as vi-VN in Vietnamese and leaves years and rows as they are', () => {
    expect(renderMessage('cell.overMax', { indicator: 'members', value: 250000000, max: 200000000 }, 'vi')).toBe('250.000.000 vượt mức tối đa của "members" (tối đa 200.000.000)');
    expect(renderMessage('cell.overMax', { indicator: 'members', value: 250000000, max: 200000000 }, 'en')).toBe('"members": 250,000,000 is over the maximum (at most 200,000,000)');
    expect(renderMessage('cell.yearOutside', { year: 2030, first: 2013, last: 2023 }, 'vi')).toBe('Năm 2030 nằm ngoài danh mục (2013–2023)');
    expect(renderMessage('transition.cannot', { transition: 'approve', status: 'draft', withProposal: false, withoutValue: true }, 'vi')).toBe('không thể duyệt ô nháp chưa có số');
  });
});

describe('refusals the server sends', () => {
  it('sign-in: a wrong password, then the growing delay with its retryAfter', async () => {
    expect(keysOf(await s.gql(SIGN_IN, { u: 'admin', p: 'wrong-password' }, { as: 'anonymous' }))).toEqual(['auth.wrongCredentials']);
    let keys: string[] = [];
    for (let i = 0; i < 20 && !keys.includes('auth.slowDown'); i++) keys = keysOf(await s.gql(SIGN_IN, { u: 'reviewer.backan', p: 'wrong-password' }, { as: 'anonymous' }));
    expect(keys).toEqual(['auth.slowDown']);
    expect(seen.get('auth.slowDown')!.at(-1)!.retryAfter).toBeGreaterThan(0);
    expect(keysOf(await s.gql('{ me { username } }', {}, { as: 'anonymous' }))).toEqual(['auth.signInFirst']);
  });

  it('cell writes: each refused cell of a batch says why, with its values', async () => {
    const c = await cellOf('P06', 'members', 2015);
    const r = await s.gql(SET, {
      c: [
        { unionCode: 'P06', indicatorCode: 'members', year: 2015, scenario: 'ACTUAL', value: 1, expectedVersion: c.version + 7 },
        { unionCode: 'P06', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL', value: -5, expectedVersion: 0 },
        { unionCode: 'P06', indicatorCode: 'members', year: 2016, scenario: 'TARGET', value: 250_000_000, expectedVersion: 0 },
        { unionCode: 'P06', indicatorCode: 'members', year: 2030, scenario: 'ACTUAL', value: 1, expectedVersion: 0 },
        { unionCode: 'NOPE', indicatorCode: 'members', year: 2015, scenario: 'ACTUAL', value: 1, expectedVersion: 0 },
        { unionCode: 'P06', indicatorCode: 'nope', year: 2015, scenario: 'ACTUAL', value: 1, expectedVersion: 0 },
        { unionCode: 'P06', indicatorCode: 'coverage', year: 2015, scenario: 'ACTUAL', value: 1, expectedVersion: 0 },
        { unionCode: 'P06', indicatorCode: 'members', year: 2015, scenario: 'ACTUAL', value: 2, expectedVersion: c.version },
        { unionCode: 'P06', indicatorCode: 'members', year: 2017, scenario: 'ACTUAL', value: 1.5, expectedVersion: 0 },
      ],
    });
    expect(keysOf(r).sort()).toEqual(['cell.changed', 'cell.computed', 'cell.duplicate', 'cell.negative', 'cell.notWhole', 'cell.overMax', 'cell.unknownIndicator', 'cell.unknownUnion', 'cell.yearOutside'].sort());
    expect(seen.get('cell.changed')!.at(-1)).toMatchObject({ version: c.version, expected: c.version + 7 });
    const over = r.errors!.find((e) => e.extensions.key === 'cell.overMax')!;
    expect(renderMessage('cell.overMax', over.extensions.params, 'vi')).toContain('250.000.000');
    // A reporter outside their province.
    const other = await cellOf('P01', 'members', 2015);
    expect(keysOf(await s.gql(SET, { c: [{ unionCode: 'P01', indicatorCode: 'members', year: 2015, scenario: 'ACTUAL', value: 1, expectedVersion: other.version }] }, { as: 'reporter' }))).toEqual(['cell.forbiddenEdit']);
  });

  it('status changes, a locked cell, proposals and comments', async () => {
    const cell = { unionCode: 'P06', indicatorCode: 'members', year: 2014, scenario: 'ACTUAL' };
    await s.gql('mutation ($c: [CellKey!]!) { submitFigures(selection: { cells: $c }) { movedCount } }', { c: [cell] });
    const approved = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: [cell] });
    expect(approved.errors).toBeUndefined();
    const again = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: [cell] });
    expect(keysOf(again)).toEqual(['transition.alreadyApproved']);
    const v = (await cellOf('P06', 'members', 2014)).version;
    expect(keysOf(await s.gql(SET, { c: [{ ...cell, value: 1, expectedVersion: v }] }))).toEqual(['cell.locked']);
    expect(keysOf(await s.gql('mutation ($c: [CellKey!]!) { sendBackFigures(selection: { cells: $c }, reason: " ") { movedCount } }', { c: [cell] }))).toEqual(['transition.reasonRequired']);
    expect(keysOf(await s.gql('mutation ($c: CellKey!, $v: Int!) { proposeFigure(cell: $c, value: 5, expectedVersion: $v) { version } }', { c: cell, v: v + 3 }))).toEqual(['proposal.changed']);
    const draft = { unionCode: 'P06', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL' };
    expect(keysOf(await s.gql('mutation ($c: CellKey!, $v: Int!) { proposeFigure(cell: $c, value: 5, expectedVersion: $v) { version } }', { c: draft, v: (await cellOf('P06', 'members', 2016)).version }))).toEqual(['proposal.notApproved']);
    expect(keysOf(await s.gql('mutation ($c: CellKey!) { commentFigure(cell: $c, text: "   ") { version } }', { c: cell }))).toEqual(['comment.empty']);
    expect(keysOf(await s.gql('mutation ($c: CellKey!, $t: String!) { commentFigure(cell: $c, text: $t) { version } }', { c: cell, t: 'x'.repeat(4001) }))).toEqual(['input.tooLong']);
    expect(seen.get('input.tooLong')!.at(-1)).toMatchObject({ field: 'text', limit: 4000 });
    expect(keysOf(await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: [draft] }, { as: 'reporter' }))).toEqual(['transition.forbidden']);
  });

  it('"approve all that pass": each skip reason has a key and params beside its English text', async () => {
    // A draft cell in the subtree-year: it cannot be approved, so it is skipped with its reason.
    const c = await cellOf('P06', 'members', 2017);
    expect((await s.gql(SET, { c: [{ unionCode: 'P06', indicatorCode: 'members', year: 2017, scenario: 'ACTUAL', value: c.value + 1, expectedVersion: c.version }] })).errors).toBeUndefined();
    const r = await s.gql<{ approveFigures: { skippedCount: number; reasons: { reason: string; count: number; key: string; keyParams: { name: string; text: string | null; number: number | null }[] }[] } }>(
      'mutation { approveFigures(selection: { subtree: { root: "P06", year: 2017, scenario: ACTUAL, onlyPassing: true } }) { skippedCount reasons { reason count key keyParams { name text number } } } }',
    );
    expect(r.errors).toBeUndefined();
    const reasons = r.data!.approveFigures.reasons;
    expect(reasons.length).toBeGreaterThan(0);
    for (const x of reasons) {
      expectSaid({ key: x.key, params: paramsOf(x.keyParams) }, x.reason);
      expect(renderMessage(x.key, paramsOf(x.keyParams), 'en')).toBe(x.reason);
    }
    expect(reasons.map((x) => x.key)).toContain('transition.cannot');
    expect(reasons.reduce((n, x) => n + x.count, 0)).toBe(r.data!.approveFigures.skippedCount);
  });

  it('discrepancy decisions', async () => {
    const [d] = await s.sql<{ id: number }>(`select d.id from discrepancy d join trade_union u on u.id = d.union_id where d.state = 'open' order by d.id limit 1`);
    expect(keysOf(await s.gql('mutation ($id: Int!) { acceptDiscrepancy(id: $id, text: " ") { id } }', { id: d!.id }))).toEqual(['discrepancy.reasonRequired']);
    expect((await s.gql('mutation ($id: Int!) { acceptDiscrepancy(id: $id, text: "ok") { id } }', { id: d!.id })).errors).toBeUndefined();
    expect(keysOf(await s.gql('mutation ($id: Int!) { explainDiscrepancy(id: $id, text: "why") { id } }', { id: d!.id }))).toEqual(['discrepancy.cannot']);
    expect(seen.get('discrepancy.cannot')!.at(-1)).toMatchObject({ decision: 'explain', state: 'accepted' });
    expect(keysOf(await s.gql('mutation { explainDiscrepancy(id: 999999999, text: "why") { id } }'))).toEqual(['discrepancy.notFound']);
  });

  it('imports: a foreign file, and each rejected row of a preview', async () => {
    expect(keysOf(await s.gql('mutation ($f: String!) { importPreview(file: $f) { token } }', { f: Buffer.from('not a workbook').toString('base64') }, { as: 'reporter' }))).toEqual(['import.notXlsx']);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Số liệu');
    ws.addRow(['unit_code', 'indicator_code', 'year', 'scenario', 'value']);
    ws.addRow(['P01', 'members', 2015, 'actual', 1]);
    ws.addRow(['P06', 'nope', 2015, 'actual', 1]);
    ws.addRow(['P06', 'members', 1999, 'actual', 1]);
    ws.addRow(['P06', 'members', 2015, 'plan', 1]);
    ws.addRow(['P06', 'members', 2015, 'actual', '12abc']);
    ws.addRow(['', 'members', 2015, 'actual', 1]);
    ws.addRow(['ZZZ', 'members', 2015, 'actual', 1]);
    ws.addRow(['P06', '', 2015, 'actual', 1]);
    ws.addRow(['P06', 'coverage', 2015, 'actual', 1]);
    ws.addRow(['P06', 'members', 2016, 'actual', 1]);
    ws.addRow(['P06', 'members', 2016, 'actual', 2]);
    const file = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = await s.gql<{ importPreview: { rejects: { reason: string; key: string; params: { name: string; text: string | null; number: number | null }[] }[] } }>(
      'mutation ($f: String!) { importPreview(file: $f) { rejects { row column reason key params { name text number } } } }', { f: file }, { as: 'reporter' },
    );
    expect(r.errors).toBeUndefined();
    const rejects = r.data!.importPreview.rejects;
    for (const x of rejects) expectSaid({ key: x.key, params: paramsOf(x.params) }, x.reason);
    expect(rejects.map((x) => x.key).sort()).toEqual(['cell.unknownIndicator', 'import.badScenario', 'import.badYear', 'import.emptyUnit', 'import.forbiddenUnit', 'import.notANumber', 'import.unknownUnit', 'import.computed', 'import.duplicate', 'import.emptyIndicator'].sort());
    // Applying it: one error per rejected cell, with where it is.
    const applied = await s.gql('mutation ($f: String!) { importApply(file: $f, token: "x") { written } }', { f: file }, { as: 'reporter' });
    keysOf(applied);
    expect(applied.errors![0]!.extensions).toMatchObject({ sheet: 'Số liệu', row: 2, column: 'A' });
  });

  it('exports and report', async () => {
    expect(keysOf(await s.gql('{ approvedFigures(filter: { root: "NOPE" }, first: 10) { totalCount } }'))).toEqual(['union.unknown']);
    expect(keysOf(await s.gql('{ approvedFigures(filter: { root: "TLD", years: [2030] }, first: 10) { totalCount } }'))).toEqual(['cell.yearOutside']);
    expect(keysOf(await s.gql('mutation { generateReport(root: "TLD") { id } }', {}, { as: 'reporter' }))).toEqual(['report.forbidden']);
  });

  it('the plan: allocation, forecasts, overrides and the gap view', async () => {
    const PREVIEW = 'mutation ($g: AllocationGoalInput!) { previewAllocation(goal: $g, key: MEMBERS, root: "P06") { token } }';
    const APPLY = 'mutation ($t: String!) { applyAllocation(previewToken: $t) { written } }';
    const OVERRIDE = 'mutation ($u: String!, $r: String!) { overrideForecast(unionCode: $u, indicator: "members", year: 2023, value: 5, reason: $r) { value } }';
    expect(keysOf(await s.gql(PREVIEW, { g: { indicator: 'members', value: 10 } }, { as: 'reporter' }))).toEqual(['plan.forbidden']);
    expect(keysOf(await s.gql(PREVIEW, { g: { indicator: 'workers', value: 10 } }))).toEqual(['plan.notAllocated']);
    expect(keysOf(await s.gql(PREVIEW, { g: { indicator: 'nope', value: 10 } }))).toEqual(['cell.unknownIndicator']);
    expect(keysOf(await s.gql(PREVIEW, { g: { indicator: 'members', value: -1 } }))).toEqual(['cell.negative']);
    expect(keysOf(await s.gql(PREVIEW, { g: { indicator: 'coverage', value: 120 } }))).toEqual(['plan.ratioGoalRange']);
    // No approved eligible enterprises here (the seed's arrive submitted): no forecast denominator, the reason named.
    expect(keysOf(await s.gql(PREVIEW, { g: { indicator: 'coverage', value: 80 } }))).toEqual(['plan.noDenominatorForecast']);
    expect(keysOf(await s.gql(APPLY, { t: 'abc' }))).toEqual(['plan.previewNotFound']);
    const token = (await s.gql(PREVIEW, { g: { indicator: 'members', value: 1000 } })).data!.previewAllocation.token;
    expect((await s.gql(APPLY, { t: token })).errors).toBeUndefined();
    expect(keysOf(await s.gql(APPLY, { t: token }))).toEqual(['plan.previewApplied']);
    expect(keysOf(await s.gql('{ planGap(root: "P06", year: 2017) { today } }'))).toEqual(['plan.badYear']);
    expect(keysOf(await s.gql('{ planGap(root: "P01", year: 2020) { today } }', {}, { as: 'reviewer' }))).toEqual(['plan.readForbidden']);
    expect(keysOf(await s.gql('mutation { runForecasts(root: "P06") { forecasts } }', {}, { as: 'reporter' }))).toEqual(['forecast.runForbidden']);
    expect(keysOf(await s.gql('{ forecasts(root: "P06", indicator: "funding") { stale } }'))).toEqual(['forecast.notForecast']);
    expect(keysOf(await s.gql(OVERRIDE, { u: 'P06', r: 'x' }, { as: 'reporter' }))).toEqual(['forecast.overrideForbidden']);
    expect(keysOf(await s.gql(OVERRIDE, { u: 'P06', r: 'Khảo sát doanh nghiệp mới' }))).toEqual(['forecast.notRun']);
    expect(keysOf(await s.gql(OVERRIDE, { u: 'P06', r: '  ' }))).toEqual(['forecast.overrideReason']);
    expect(keysOf(await s.gql('{ approvalProgress(root: "P06", years: [2023], scenario: FORECAST) { year } }'))).toEqual(['forecast.readOnly']);
  });

  it('every key of the catalogue was sent by a refusal above, or is listed here with why not', () => {
    const notDriven: Record<string, string> = {
      'comment.tooLong': 'the argument check (input.tooLong) refuses it first; the domain keeps it for other callers',
      'input.tooShort': 'another shape of the argument check', 'input.required': 'another shape of the argument check',
      'input.tooHigh': 'another shape of the argument check', 'input.tooLow': 'another shape of the argument check',
      'input.tooMany': 'another shape of the argument check', 'input.invalid': 'another shape of the argument check',
      'auth.busy': 'needs more concurrent sign-ins than the hash slots and their queue (security-auth.test.ts floods them)',
      'auth.forbidden': 'Pothos scope refusals are for non-admin user administration; driven in security-roles.test.ts',
      'rate.limited': 'rate limiting is off in test servers (harness.ts); its params are the HTTP guard\'s retry time',
      'cell.prefix': 'a place, not a reason: rendered by the client from a refusal\'s unionCode, indicatorCode, year, scenario',
      'import.at': 'a place, not a reason: rendered by the client from a reject\'s sheet, row, column, field',
      'cell.badVersion': 'GraphQL types reject a non-integer expectedVersion before the domain sees it',
      'cell.unknownScenario': 'the Scenario enum rejects it first over GraphQL; the domain keeps the check for other callers',
      'cell.notFinite': 'JSON cannot carry NaN or Infinity',
      'cell.noTargets': 'every stored indicator of the seeded catalogue takes targets',
      'cell.unionNotInYear': 'needs a merged or split union; covered by set-figures.test.ts',
      'cell.createdMeanwhile': 'a race between two batches creating the same cell',
      'cell.changedMeanwhile': 'a race inside one transaction (concurrency.test.ts)',
      'cell.notFound': 'a proposal or comment on a cell that does not exist',
      'batch.tooLarge': 'needs a batch over MAX_BATCH cells',
      'transition.noCell': 'a list naming a cell that was never written',
      'transition.cannot': 'checked by the rendering test above; a subtree skip shows it below when present',
      'transition.blocked': 'a subtree skip reason: present when the province has an open error',
      'transition.fourEyes': 'four-eyes is off by default (security-roles.test.ts turns it on)',
      'edit.forbidden': 'a proposal outside the caller\'s grants',
      'comment.forbidden': 'a comment outside the caller\'s grants',
      'discrepancy.explanationRequired': 'the explain twin of reasonRequired',
      'discrepancy.forbidden': 'a reporter accepting a discrepancy',
      'report.forbiddenRead': 'reading the report of a unit outside the caller\'s grants',
      'report.noUnits': 'a report on a union without units below it',
      'report.conflict': 'two editions issued at one instant',
      'report.notFound': 'a download of an edition that does not exist',
      'export.forbidden': 'an export outside the caller\'s grants',
      'export.computed': 'an export naming a computed indicator',
      'export.tooMany': 'over 50,000 approved cells',
      'import.forbidden': 'a viewer importing',
      'import.conflict': 'figures changed between preview and apply (imports.test.ts)',
      'import.tooLarge': 'a 20 MB upload',
      'import.badFile': 'a zip that is not a workbook (imports.test.ts)',
      'import.emptyFile': 'an empty upload',
      'import.noSheets': 'a workbook without sheets',
      'import.noHeader': 'a workbook without the export header',
      ...Object.fromEntries(['notFound', 'outsideRoot', 'forbidden', 'forbiddenDecide', 'ownProposal', 'nameRequired', 'noPerson', 'achievementRequired', 'duplicate', 'reasonRequired', 'decided']
        .map((k) => [`commendation.${k}`, 'commendation proposals: driven in commendations.test.ts'])),
      'plan.unknownKey': 'the AllocationKey enum rejects it first over GraphQL; the domain keeps the check for other callers',
      'plan.unknownPath': 'the AllocationPath enum rejects it first over GraphQL',
      'plan.rootNotThroughPlan': 'needs a union that ends or starts inside 2018–2023',
      'plan.ratioNotForecast': 'every ratio of the catalogue (coverage) has a forecast denominator',
      'plan.targetsChanged': 'a target changed between preview and apply (plan.test.ts)',
      'plan.targetChanged': 'a race inside the apply transaction',
    };
    // The written report's refusals: tests/sections.test.ts drives every section.* key and renders it.
    for (const k of MESSAGE_KEYS.filter((key) => key.startsWith('section.'))) notDriven[k] = 'driven and rendered in tests/sections.test.ts';
    const missing = MESSAGE_KEYS.filter((k) => !seen.has(k) && !(k in notDriven));
    expect(missing).toEqual([]);
  });
});
