/**
 * The plan's allocation against the database (issue 16): a preview reads the subtree, the approved
 * actuals, the stored forecasts with the reviewers' overrides in force (plan-forecast-read.ts) and
 * the target cells, turns a ratio goal into its numerator's (plan-goal.ts), allocates (allocation.ts)
 * and keeps what it would write under a token with the version of every target cell it read; applying the token writes exactly that as
 * proposed targets in one transaction — a proposal beside an approved target, a draft value where
 * nothing is approved — or, if any of those cells changed since, nothing at all (CONFLICT).
 * Only the department allocates: admin or reviewer granted at TLĐ (ALLOCATION_ROLES).
 */
import { randomBytes } from 'node:crypto';
import { ALLOCATION_YEARS, type AllocationKeyCode, type AllocationNoteCode, type AllocationPathCode } from '@unionhub/schema';
import type { Access } from './access.js';
import { allocate, type AllocatedUnit, type AllocationUnit } from './allocation.js';
import { insertChunked, pathRange, validIn, type Db } from './db.js';
import { allocates, approvedSeries } from './plan-data.js';
import { DomainError, said } from './errors.js';
import { figuresChanged, type WithEvents } from './events.js';
import { figuresByKeys, type CellKey } from './figures.js';
import { forecastsInForce, type ForecastInForce } from './plan-forecast-read.js';
import { checkGoal, numeratorGoal, type AllocationGoal, type RatioGoal } from './plan-goal.js';
import { recheck } from './reconcile.js';
import { unionByCode, unionQuery, type UnionRow } from './unions.js';

export type { AllocationGoal } from './plan-goal.js';

/** A note on one union; `indicator` names the series a forecast note is about. */
export interface PreviewNote {
  code: AllocationNoteCode;
  indicator: string | null;
}

export interface PreviewRow extends Omit<AllocatedUnit, 'notes'> {
  union: UnionRow;
  /** The forecast of the written indicator for the goal year (stored, overrides in force); null without one. */
  forecast: number | null;
  /** For a ratio goal: the union's forecast denominator for the goal year, and the ratio its allocation implies. */
  denominatorForecast: number | null;
  impliedRatio: number | null;
  notes: PreviewNote[];
}

export interface AllocationPreview {
  token: string;
  root: string;
  /** The goal's indicator as asked (members, coverage…). */
  indicator: string;
  /** The indicator whose targets the preview writes: the goal's own, or its ratio's numerator. */
  writes: string;
  ratio: RatioGoal | null;
  key: AllocationKeyCode;
  path: AllocationPathCode;
  /** The goal as asked (for a ratio, in its unit). */
  goal: number;
  /** The whole number allocated from the root: the goal, or a ratio goal's numerator. */
  allocatedGoal: number;
  rows: PreviewRow[];
}

export interface AllocationApplied extends WithEvents {
  /** Target cells given a proposal beside their approved value. */
  proposed: number;
  /** Target cells (not approved, or absent) written as draft values. */
  written: number;
  /** Cells already holding the allocated value. */
  unchanged: number;
}

function requireDepartment(access: Access): void {
  if (!allocates(access)) throw new DomainError('FORBIDDEN', 'Only the department (an administrator or reviewer at TLĐ) allocates the plan', said('plan.forbidden'));
}

const baseOf = (series: { year: number; value: number | null }[] | undefined): number | null =>
  series?.find((p) => p.year === ALLOCATION_YEARS.base)?.value ?? null;

const PLAN_SPAN = { from: ALLOCATION_YEARS.from, to: ALLOCATION_YEARS.to };

/** The subtree's unions that exist through the whole plan (a union ending or starting inside it has no whole path). */
async function planUnions(db: Db, root: UnionRow): Promise<UnionRow[]> {
  const [lo, hi] = pathRange(root.path);
  const rows: UnionRow[] = await validIn(unionQuery(db).where('u.path', '>=', lo).andWhere('u.path', '<', hi), PLAN_SPAN);
  return rows.filter((u) => u.validFrom <= PLAN_SPAN.from && (u.validTo === null || u.validTo >= PLAN_SPAN.to));
}

interface TargetCell {
  id: number;
  unionId: number;
  unionCode: string;
  year: number;
  value: number | null;
  status: string;
  version: number;
  proposedValue: number | null;
}

/** The subtree's target cells of the indicator in the plan's years, by "union|year": one range query (not a list of keys). */
async function targetCells(db: Db, rootPath: string, indicatorCode: string): Promise<Map<string, TargetCell>> {
  const [lo, hi] = pathRange(rootPath);
  const rows: TargetCell[] = await db('figure as f')
    .join('trade_union as u', 'u.id', 'f.union_id')
    .join('indicator as i', 'i.id', 'f.indicator_id')
    .select('f.id', 'f.union_id as unionId', 'u.code as unionCode', 'f.year', 'f.value', 'f.status', 'f.version', 'f.proposed_value as proposedValue')
    .where('u.path', '>=', lo).andWhere('u.path', '<', hi)
    .andWhere({ 'i.code': indicatorCode, 'f.scenario': 'target' })
    .andWhere('f.year', '>=', PLAN_SPAN.from).andWhere('f.year', '<=', PLAN_SPAN.to);
  return new Map(rows.map((r) => [`${r.unionCode}|${Number(r.year)}`, {
    ...r, id: Number(r.id), unionId: Number(r.unionId), year: Number(r.year), version: Number(r.version),
    value: r.value === null ? null : Number(r.value), proposedValue: r.proposedValue === null ? null : Number(r.proposedValue),
  }]));
}

const PREVIEW_KEPT_MS = 24 * 60 * 60 * 1000;

interface StoredCell {
  unionCode: string;
  year: number;
  value: number;
  /** The target cell's version when previewed; 0 when it did not exist. */
  version: number;
}

const FORECAST_NOTES: Record<Exclude<ForecastInForce['source'], 'stored'>, AllocationNoteCode> = { notRun: 'forecastNotRun', stale: 'forecastStale' };

export async function previewAllocation(db: Db, access: Access, goal: AllocationGoal, key: AllocationKeyCode, rootCode: string): Promise<AllocationPreview> {
  requireDepartment(access);
  const { writes, ratio } = checkGoal(goal, key);
  const path = goal.path ?? 'linear';
  const root = await unionByCode(db, rootCode);
  const unions = await planUnions(db, root);
  if (!unions.some((u) => u.id === root.id)) throw new DomainError('VALIDATION', `${root.name} does not exist through the whole plan (${PLAN_SPAN.from}–${PLAN_SPAN.to})`, said('plan.rootNotThroughPlan', { unionName: root.name, ...PLAN_SPAN }));
  const keyIndicator = key === 'forecastWorkers' ? 'workers' : 'members';
  // The forecasts the preview reads: the written indicator's (shown), the key's, a ratio's denominator.
  const forecastUsed = [...new Set([writes, ...(key === 'forecastWorkers' ? [keyIndicator] : []), ...(ratio ? [ratio.denominator] : [])])];
  const actuals = await approvedSeries(db, root, [...new Set([writes, keyIndicator, ...forecastUsed])]);
  const forecasts = await forecastsInForce(db, root, unions, forecastUsed, ALLOCATION_YEARS.to, actuals);
  const forecastOf = (u: UnionRow, indicator: string) => forecasts.get(`${u.id}|${indicator}`);
  const allocatedGoal = ratio ? numeratorGoal(goal, ratio, root, forecastOf(root, ratio.denominator)) : goal.value;

  const byId = new Map(unions.map((u) => [u.id, u]));
  const units: AllocationUnit[] = unions.map((u) => {
    const series = (indicator: string) => actuals.get(`${u.id}|${indicator}`)?.series;
    const keyValue = key === 'forecastWorkers' ? (forecastOf(u, keyIndicator)?.value ?? null) : key === 'members' ? baseOf(series('members')) : null;
    const parent = u.parentId === null ? undefined : byId.get(u.parentId);
    return { code: u.code, parentCode: u.id === root.id ? null : (parent?.code ?? null), base: baseOf(series(writes)), keyValue };
  });
  const byCode = new Map(unions.map((u) => [u.code, u]));
  const allocated = allocate({ units, root: root.code, goal: allocatedGoal, key, path });
  const rows: PreviewRow[] = allocated.map((a) => {
    const u = byCode.get(a.code)!;
    const denominatorForecast = ratio ? (forecastOf(u, ratio.denominator)?.value ?? null) : null;
    const forecastNotes = forecastUsed.flatMap((i): PreviewNote[] => {
      const f = forecastOf(u, i);
      return f && f.source !== 'stored' ? [{ code: FORECAST_NOTES[f.source], indicator: i }] : [];
    });
    const impliedRatio = ratio && denominatorForecast ? (a.allocated / denominatorForecast) * ratio.scale : null;
    const over: PreviewNote[] = ratio && impliedRatio !== null && impliedRatio > ratio.max ? [{ code: 'ratioOverMax', indicator: ratio.denominator }] : [];
    return {
      ...a, union: u, forecast: forecastOf(u, writes)?.value ?? null, denominatorForecast, impliedRatio,
      notes: [...a.notes.map((code) => ({ code, indicator: null })), ...forecastNotes, ...over],
    };
  });

  const targets = await targetCells(db, root.path, writes);
  const cells: StoredCell[] = rows.flatMap((r) => r.years.map((y) => ({ unionCode: r.code, year: y.year, value: y.value, version: targets.get(`${r.code}|${y.year}`)?.version ?? 0 })));
  const token = randomBytes(16).toString('hex');
  // A national preview keeps ~8,500 cells: unapplied ones go after a day (applied ones stay: the gap view reads them).
  await db('allocation_preview').whereNull('applied_at').where('created_at', '<', new Date(Date.now() - PREVIEW_KEPT_MS)).delete();
  // Kept under the indicator written (a ratio's numerator): applying and the gap view read that.
  await db('allocation_preview').insert({
    token, root_code: root.code, indicator_code: writes, allocation_key: key, path, goal: allocatedGoal,
    cells: JSON.stringify(cells), created_by: access.caller!.username, created_at: new Date(),
  });
  return { token, root: root.code, indicator: goal.indicator, writes, ratio, key, path, goal: goal.value, allocatedGoal, rows };
}

/** Write a preview's cells as proposed targets, all or nothing. */
export async function applyAllocation(db: Db, access: Access, token: string): Promise<AllocationApplied> {
  requireDepartment(access);
  const actor = access.caller!.username;
  return db.transaction(async (trx) => {
    const preview: { root_code: string; indicator_code: string; cells: string; applied_at: unknown } | undefined = await trx('allocation_preview').where('token', token).first();
    if (!preview) throw new DomainError('NOT_FOUND', 'No allocation preview with this token', said('plan.previewNotFound'));
    const at = new Date();
    // Claimed first, guarded by its null: of two applies of one token only one goes on.
    const claimed = await trx('allocation_preview').where('token', token).whereNull('applied_at').update({ applied_at: at });
    if (preview.applied_at || claimed !== 1) throw new DomainError('CONFLICT', 'This allocation preview was applied already', said('plan.previewApplied'));
    const indicatorCode = preview.indicator_code;
    const cells: StoredCell[] = JSON.parse(preview.cells);
    const keyOf = (c: { unionCode: string; year: number }): CellKey => ({ unionCode: c.unionCode, indicatorCode, year: c.year, scenario: 'target' });
    const current = await targetCells(trx, (await unionByCode(trx, preview.root_code)).path, indicatorCode);
    const changed = cells.filter((c) => (current.get(`${c.unionCode}|${c.year}`)?.version ?? 0) !== c.version);
    if (changed.length) {
      throw new DomainError('CONFLICT', `${changed.length} target cell(s) changed since the preview; nothing was written: preview again`, {
        changed: changed.slice(0, 20).map((c) => ({ unionCode: c.unionCode, year: c.year, previewedVersion: c.version })),
        changedCount: changed.length,
        ...said('plan.targetsChanged', { count: changed.length }),
      });
    }
    const unions = new Map((await trx('trade_union').select('id', 'code').whereIn('code', [...new Set(cells.map((c) => c.unionCode))])).map((u: { id: number; code: string }) => [u.code, Number(u.id)]));
    const indicatorId = Number((await trx('indicator').select('id').where('code', indicatorCode).first()).id);
    const revisions: Record<string, unknown>[] = [];
    const valueCells: { unionId: number; indicatorCode: string; year: number; scenario: 'target' }[] = [];
    let proposed = 0;
    let written = 0;
    let unchanged = 0;
    const touched = new Set<string>();
    const guard = async (f: TargetCell, update: Record<string, unknown>) => {
      const n = await trx('figure').where({ id: f.id, version: f.version }).update({ ...update, version: f.version + 1, updated_by: actor, updated_at: at });
      if (n !== 1) throw new DomainError('CONFLICT', `${f.unionCode}, ${f.year}: the target changed meanwhile; nothing was written`, said('plan.targetChanged', { union: f.unionCode, year: f.year }));
      touched.add(`${f.unionCode}|${f.year}`);
    };
    for (const c of cells) {
      const f = current.get(`${c.unionCode}|${c.year}`);
      const revision = { version: (f?.version ?? 0) + 1, actor, at, reason: 'allocation' };
      if (!f) {
        const [inserted] = await trx('figure').insert({
          union_id: unions.get(c.unionCode)!, indicator_id: indicatorId, year: c.year, scenario: 'target',
          value: c.value, status: 'draft', version: 1, updated_by: actor, updated_at: at,
        }).returning('id');
        touched.add(`${c.unionCode}|${c.year}`);
        const id = typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
        revisions.push({ figure_id: id, change: 'value', before_value: null, after_value: c.value, before_status: null, after_status: 'draft', ...revision });
        valueCells.push({ unionId: unions.get(c.unionCode)!, indicatorCode, year: c.year, scenario: 'target' });
        written++;
      } else if (f.status === 'approved') {
        if (f.value === c.value && f.proposedValue === null) {
          unchanged++;
          continue;
        }
        await guard(f, { proposed_value: c.value, proposed_by: actor, proposed_at: at });
        revisions.push({ figure_id: f.id, change: 'proposal', before_value: f.proposedValue, after_value: c.value, before_status: 'approved', after_status: 'approved', ...revision });
        proposed++;
      } else {
        if (f.value === c.value) {
          unchanged++;
          continue;
        }
        await guard(f, { value: c.value, status: 'draft' });
        revisions.push({ figure_id: f.id, change: 'value', before_value: f.value, after_value: c.value, before_status: f.status, after_status: 'draft', ...revision });
        valueCells.push({ unionId: f.unionId, indicatorCode, year: c.year, scenario: 'target' });
        written++;
      }
    }
    await insertChunked(trx, 'figure_revision', revisions);
    if (valueCells.length) await recheck(trx, valueCells, actor);
    const figures = await figuresByKeys(trx, cells.filter((c) => touched.has(`${c.unionCode}|${c.year}`)).map(keyOf));
    return { proposed, written, unchanged, events: figuresChanged(actor, figures) };
  });
}
