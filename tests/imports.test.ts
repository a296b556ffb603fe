/**
 * Import of unit workbooks through the real server: the file a unit was sent comes back
 * unchanged and changes nothing; edits become writes or proposals in one transaction; one bad
 * cell writes nothing and is named by sheet, row and column; foreign files are refused.
 */
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type As, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

async function exported(query: string, as: As = 'reporter'): Promise<Buffer> {
  const res = await fetch(`${s.url}/exports/figures.xlsx${query}`, { headers: s.auth(as) });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function post(action: 'preview' | 'apply', body: Uint8Array, as: As = 'reporter', query = '') {
  const res = await fetch(`${s.url}/imports/${action}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...s.auth(as) },
    body: body as unknown as BodyInit,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Everything a write leaves behind: revisions, versions, proposals. */
async function footprint() {
  const [r] = await s.sql<{ revisions: number; versions: number; figures: number; proposals: number }>(
    `select (select count(*) from figure_revision) as revisions, (select sum(version) from figure) as versions,
            (select count(*) from figure) as figures, (select count(*) from figure where proposed_value is not null) as proposals`,
  );
  return r!;
}

async function edit(file: Buffer, change: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as never);
  change(wb.getWorksheet('Số liệu')!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function findRow(ws: ExcelJS.Worksheet, unit: string, indicator: string, year: number, scenario: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (row.getCell(1).value === unit && row.getCell(5).value === indicator && row.getCell(7).value === year && row.getCell(8).value === scenario) found = row;
  });
  if (!found) throw new Error(`no row ${unit} ${indicator} ${year} ${scenario}`);
  return found;
}

async function cell(unit: string, indicator: string, year: number, scenario: 'ACTUAL' | 'TARGET') {
  const r = await s.gql(`query ($u: String!, $i: String!, $y: Int!, $s: Scenario!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) { value proposedValue status version } }`, { u: unit, i: indicator, y: year, s: scenario });
  return r.data!.figure as { value: number; proposedValue: number | null; status: string; version: number } | null;
}

/** A zip archive with one stored file: a valid zip that is not a workbook. */
function zipOf(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const nameBuf = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBuf.length, 28);
  const localSize = local.length + nameBuf.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBuf.length, 12); end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, nameBuf, data, central, nameBuf, end]);
}

describe('import of unit workbooks', () => {
  it('export → import of the same file changes nothing', async () => {
    const file = await exported('?root=P06');
    const before = await footprint();
    const preview = await post('preview', file);
    expect(preview.status).toBe(200);
    expect(preview.body.rows).toBeGreaterThan(1000);
    expect(preview.body.counts).toEqual({ new: 0, change: 0, proposal: 0, unchanged: preview.body.rows, blank: 0, rejected: 0 });
    const applied = await post('apply', file, 'reporter', `?token=${preview.body.token}`);
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ written: 0, proposed: 0, unchanged: preview.body.rows });
    expect(await footprint()).toEqual(before);
  });

  it('a filled-in file: new values, changes to unapproved cells, proposals beside approved ones — in one transaction', async () => {
    const target = await cell('P06-H01', 'members', 2019, 'TARGET');
    const submitted = await cell('P06-H03', 'grassroots', 2016, 'ACTUAL');
    expect(target!.status).toBe('APPROVED');
    expect(submitted!.status).toBe('SUBMITTED');
    expect(await cell('P06-H04', 'members', 2018, 'ACTUAL')).toBeNull();
    const file = await edit(await exported('?root=P06-H01&years=2019&scenario=target'), (ws) => {
      findRow(ws, 'P06-H01', 'members', 2019, 'target').getCell(9).value = target!.value + 7; // approved → proposal
      ws.addRow(['P06-H03', '', '', '', 'grassroots', '', 2016, 'actual', `${submitted!.value + 2}`]); // text typed by hand
      ws.addRow(['P06-H04', '', '', '', 'members', '', 2018, 'actual', '1.234']); // vi-VN thousands: 1234
      ws.addRow(['P06-H04', '', '', '', 'members.women', '', 2018, 'actual', null]); // blank: nothing
    });
    const before = await footprint();
    const preview = await post('preview', file);
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toMatchObject({ new: 1, change: 1, proposal: 1, blank: 1, rejected: 0 });
    expect(preview.body.changes.map((c: any) => [c.kind, c.unionCode, c.value, c.currentValue])).toEqual([
      ['proposal', 'P06-H01', target!.value + 7, target!.value],
      ['change', 'P06-H03', submitted!.value + 2, submitted!.value],
      ['new', 'P06-H04', 1234, null],
    ]);
    expect(await footprint()).toEqual(before); // a preview writes nothing

    const applied = await post('apply', file, 'reporter', `?token=${preview.body.token}&reason=${encodeURIComponent('Báo cáo của đơn vị')}`);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ written: 2, proposed: 1 });
    const after = await footprint();
    expect(after.revisions - before.revisions).toBe(3);
    expect(after.figures - before.figures).toBe(1);
    expect(await cell('P06-H01', 'members', 2019, 'TARGET')).toMatchObject({ value: target!.value, proposedValue: target!.value + 7, status: 'APPROVED' });
    expect(await cell('P06-H03', 'grassroots', 2016, 'ACTUAL')).toMatchObject({ value: submitted!.value + 2, status: 'DRAFT' });
    expect(await cell('P06-H04', 'members', 2018, 'ACTUAL')).toMatchObject({ value: 1234, status: 'DRAFT' });
    const [rev] = await s.sql<{ reason: string; actor: string }>(`select reason, actor from figure_revision order by id desc limit 1`);
    expect(rev).toEqual({ reason: 'Báo cáo của đơn vị', actor: 'reporter.backan' });

    // The same file again: the proposal is already there, the values are in — nothing to do.
    const again = await post('preview', file);
    expect(again.body.counts).toMatchObject({ new: 0, change: 0, proposal: 0, rejected: 0 });
  });

  it('a file with one bad cell writes nothing and names the cell', async () => {
    const file = await edit(await exported('?root=P06-H02&years=2020&scenario=target'), (ws) => {
      const first = ws.getRow(2);
      first.getCell(9).value = Number(first.getCell(9).value) + 1; // a good change…
      ws.getRow(5).getCell(9).value = '12abc'; // …and one bad cell
    });
    const before = await footprint();
    const preview = await post('preview', file);
    expect(preview.status).toBe(200);
    expect(preview.body.counts.rejected).toBe(1);
    expect(preview.body.rejects).toEqual([{ sheet: 'Số liệu', row: 5, column: 'I', field: 'value', reason: '"12abc" is not a number', key: 'import.notANumber', params: { input: '12abc' } }]);
    const applied = await post('apply', file, 'reporter', `?token=${preview.body.token}`);
    expect(applied.status).toBe(400);
    expect(applied.body.code).toBe('VALIDATION');
    expect(applied.body.message).toContain('Sheet "Số liệu", row 5, column I (value): "12abc" is not a number');
    expect(applied.body.errors[0].extensions).toMatchObject({ code: 'VALIDATION', sheet: 'Số liệu', row: 5, column: 'I' });
    expect(await footprint()).toEqual(before);
  });

  it('checks every row: unknown codes, years, scenarios, negative and fractional counts, duplicates', async () => {
    const file = await edit(await exported('?root=P06-H05&years=2021&scenario=target&indicators=members'), (ws) => {
      ws.addRow(['NOPE', '', '', '', 'members', '', 2016, 'actual', 5]);
      ws.addRow(['P06-H05', '', '', '', 'nope', '', 2016, 'actual', 5]);
      ws.addRow(['P06-H05', '', '', '', 'coverage', '', 2016, 'actual', 5]);
      ws.addRow(['P06-H05', '', '', '', 'members', '', 2031, 'actual', 5]);
      ws.addRow(['P06-H05', '', '', '', 'members', '', 2016, 'forecast', 5]);
      ws.addRow(['P06-H05', '', '', '', 'members', '', 2016, 'actual', -5]);
      ws.addRow(['P06-H05', '', '', '', 'members', '', 2016, 'actual', 5.5]);
      ws.addRow(['P06-H05', '', '', '', 'members', '', 2021, 'target', 5]); // the same cell as row 2
    });
    const preview = await post('preview', file);
    expect(preview.body.rejects.map((r: any) => `${r.row}${r.column}: ${r.reason}`)).toEqual([
      '3A: Unknown unit "NOPE"',
      '4E: Unknown indicator "nope"',
      '5E: "coverage" is computed from other figures and cannot be imported',
      '6G: "2031" is not a year of the catalogue (2013–2023)',
      '7H: Forecasts are read-only: FORECAST cannot be imported',
      '8I: A negative value (-5) is not allowed',
      '9I: "members" counts persons: 5.5 is not a whole number',
      '10A: The same cell (P06-H05, members, 2021, target) is also on row 2',
    ]);
  });

  it('refuses a random non-XLSX upload, a PNG, a zip that is not a workbook and a foreign workbook, with a code', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a1b40000000049454e44ae426082', 'hex');
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const foreign = new ExcelJS.Workbook();
    foreign.addWorksheet('Sheet1').addRow(['Tỉnh', 'Số đoàn viên']).commit();
    const foreignFile = Buffer.from(await foreign.xlsx.writeBuffer());
    const before = await footprint();
    for (const [name, body, message] of [
      ['random bytes', random, /not an Excel workbook/],
      ['a PNG', png, /not an Excel workbook/],
      ['a zip that is not a workbook', zipOf('readme.txt', 'hello'), /cannot be read|no worksheets|not in the UnionHub export layout/],
      ['a damaged workbook', (await exported('?root=P06-H01&years=2019')).subarray(0, 2000), /cannot be read/],
      ['a foreign workbook', foreignFile, /not in the UnionHub export layout/],
      ['nothing', Buffer.alloc(0), /empty/],
    ] as const) {
      for (const action of ['preview', 'apply'] as const) {
        const r = await post(action, body, 'reporter', action === 'apply' ? '?token=x' : '');
        expect(r.status, `${name} ${action}`).toBe(415);
        expect(r.body.code, name).toBe('BAD_FILE');
        expect(r.body.message, name).toMatch(message);
      }
    }
    expect(await footprint()).toEqual(before);
  });

  it('an upload over the limit gets 413', async () => {
    const r = await post('preview', Buffer.alloc(21 * 1024 * 1024, 1));
    expect(r.status).toBe(413);
    expect(r.body.errors[0].extensions.code).toBe('TOO_LARGE');
  });

  it('who may import is who may edit there: the reporter not outside Bắc Kạn, the viewer and the reviewer nowhere', async () => {
    const file = await exported('?root=P01-H01&years=2019&scenario=target&indicators=members', 'admin');
    const changed = await edit(file, (ws) => { ws.getRow(2).getCell(9).value = Number(ws.getRow(2).getCell(9).value) + 1; });
    const r = await post('preview', changed, 'reporter');
    expect(r.status).toBe(200);
    expect(r.body.counts.rejected).toBe(1);
    expect(r.body.rejects[0]).toMatchObject({ row: 2, column: 'A', reason: expect.stringMatching(/Your roles do not allow editing/) });
    expect((await post('apply', changed, 'reporter', `?token=${r.body.token}`)).status).toBe(400);
    // Without an edit right anywhere, an upload is refused whole, before its body is read (security-input.test.ts).
    for (const as of ['viewer', 'reviewer'] as const) {
      for (const action of ['preview', 'apply'] as const) {
        const refused = await post(action, changed, as, `?token=${r.body.token}`);
        expect(refused.status, as).toBe(403);
        expect(refused.body.code, as).toBe('FORBIDDEN');
      }
    }
    const admin = await post('preview', changed, 'admin');
    expect(admin.body.counts).toMatchObject({ proposal: 1, rejected: 0 });
    expect((await post('preview', changed, 'anonymous')).status).toBe(401);
  });

  it('a change made between preview and apply is caught: CONFLICT, nothing written', async () => {
    const file = await edit(await exported('?root=P06-H06&years=2022&scenario=target&indicators=members'), (ws) => {
      ws.getRow(2).getCell(9).value = Number(ws.getRow(2).getCell(9).value) + 3;
    });
    const preview = await post('preview', file);
    expect(preview.body.counts.proposal).toBe(1);
    const c = await cell('P06-H06', 'members', 2022, 'TARGET');
    const other = await s.gql(
      `mutation ($v: Int!) { proposeFigure(cell: { unionCode: "P06-H06", indicatorCode: "members", year: 2022, scenario: TARGET }, value: 1, expectedVersion: $v) { version } }`,
      { v: c!.version },
      { as: 'admin' },
    );
    expect(other.errors).toBeUndefined();
    const before = await footprint();
    const applied = await post('apply', file, 'reporter', `?token=${preview.body.token}`);
    expect(applied.status).toBe(409);
    expect(applied.body.code).toBe('CONFLICT');
    expect(await footprint()).toEqual(before);
  });

  it('the same through GraphQL, with the file as base64', async () => {
    const file = await edit(await exported('?root=P06-H07&years=2023&scenario=target&indicators=members,grassroots'), (ws) => {
      ws.getRow(2).getCell(9).value = Number(ws.getRow(2).getCell(9).value) + 11;
    });
    const preview = await s.gql(
      'mutation ($f: String!) { importPreview(file: $f) { rows counts { proposal unchanged rejected } changes { kind unionCode row } rejects { row column reason } token } }',
      { f: file.toString('base64') },
      { as: 'reporter' },
    );
    expect(preview.errors).toBeUndefined();
    expect(preview.data!.importPreview).toMatchObject({ rows: 2, counts: { proposal: 1, unchanged: 1, rejected: 0 }, changes: [{ kind: 'PROPOSAL', unionCode: 'P06-H07', row: 2 }] });
    const applied = await s.gql(
      'mutation ($f: String!, $t: String!) { importApply(file: $f, token: $t) { written proposed figures { unionCode proposedValue } } }',
      { f: file.toString('base64'), t: preview.data!.importPreview.token },
      { as: 'reporter' },
    );
    expect(applied.errors).toBeUndefined();
    expect(applied.data!.importApply).toMatchObject({ written: 0, proposed: 1 });

    const bad = await edit(file, (ws) => { ws.getRow(3).getCell(9).value = 'nhiều'; });
    const refused = await s.gql('mutation ($f: String!) { importApply(file: $f, token: "x") { written } }', { f: bad.toString('base64') }, { as: 'reporter' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', sheet: 'Số liệu', row: 3, column: 'I' });
    const notXlsx = await s.gql('mutation { importPreview(file: "aGVsbG8gd29ybGQ=") { rows } }', {}, { as: 'reporter' });
    expect(notXlsx.errors?.[0]?.extensions.code).toBe('BAD_FILE');
  });
});
