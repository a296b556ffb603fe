/**
 * The plan's allocation against the database (issue 16): a preview reads the subtree, the approved
 * actuals and the target cells, allocates (allocation.ts) and keeps what it would write under a
 * token with the version of every target cell it read; applying the token writes exactly that as
 * proposed targets in one transaction — a proposal beside an approved target, a draft value where
 * nothing is approved — or, if any of those cells changed since, nothing at all (CONFLICT).
 * Only the department allocates: admin or reviewer granted at TLĐ (ALLOCATION_ROLES).
 */
import { randomBytes } from 'node:crypto';
import {
  acceptsScenario, ALLOCATION_KEYS, ALLOCATION_PATHS, ALLOCATION_YEARS,
  indicator as catalogueIndicator, type AllocationKeyCode, type AllocationPathCode,
} from '@unionhub/schema';
import type { Access } from './access.js';
import { allocate, type AllocatedUnit, type AllocationUnit } from './allocation.js';
import { insertChunked, pathRange, validIn, type Db } from './db.js';
import { allocates, approvedSeries } from './plan-data.js';
import { DomainError, said } from './errors.js';
import { figuresChanged, type WithEvents } from './events.js';
import { figuresByKeys, valueProblem, type CellKey } from './figures.js';
import { chosenForecast, forecastSeries } from './forecast.js';
import { recheck } from './reconcile.js';
import { unionByCode, unionQuery, type UnionRow } from './unions.js';

export interface AllocationGoal {
  indicator: string;
  /** For the root, in the plan's last year (ALLOCATION_YEARS.to). */
  value: number;
  path?: AllocationPathCode | null;
}

export interface PreviewRow extends AllocatedUnit {
  union: UnionRow;
  /** The chosen method's forecast of the goal indicator for the goal year, from approved actuals; null without one. */
  forecast: number | null;
}

export interface AllocationPreview {
  token: string;
  root: string;
  indicator: string;
  key: AllocationKeyCode;
  path: AllocationPathCode;
  goal: number;
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

function checkGoal(goal: AllocationGoal, key: string): void {
  const def = catalogueIndicator(goal.indicator);
  if (!def) throw new DomainError('NOT_FOUND', `Unknown indicator "${goal.indicator}"`, said('cell.unknownIndicator', { indicator: goal.indicator }));
  if (def.aggregation.type !== 'sum' || !acceptsScenario(def, 'target')) {
    throw new DomainError('VALIDATION', `"${def.code}" is not allocated: only targeted indicators that add up along the tree are`, said('plan.notAllocated', { indicator: def.code }));
  }
  const problem = valueProblem(def.code, goal.value);
  if (problem) throw new DomainError('VALIDATION', `Goal: ${problem.text}`, { indicator: def.code, value: goal.value, ...said(problem.key, problem.params) });
  if (!ALLOCATION_KEYS.some((k) => k.code === key)) throw new DomainError('VALIDATION', `Unknown allocation key "${key}"`, said('plan.unknownKey', { key }));
  if (goal.path && !ALLOCATION_PATHS.some((p) => p.code === goal.path)) throw new DomainError('VALIDATION', `Unknown path "${goal.path}"`, said('plan.unknownPath', { path: goal.path }));
}

const forecastFor = (series: { year: number; value: number | null }[] | undefined): number | null =>
  series ? (chosenForecast(forecastSeries(series)).find((p) => p.year === ALLOCATION_YEARS.to)?.value ?? null) : null;

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

export async function previewAllocation(db: Db, access: Access, goal: AllocationGoal, key: AllocationKeyCode, rootCode: string): Promise<AllocationPreview> {
  requireDepartment(access);
  checkGoal(goal, key);
  const path = goal.path ?? 'linear';
  const root = await unionByCode(db, rootCode);
  const unions = await planUnions(db, root);
  if (!unions.some((u) => u.id === root.id)) throw new DomainError('VALIDATION', `${root.name} does not exist through the whole plan (${PLAN_SPAN.from}–${PLAN_SPAN.to})`, said('plan.rootNotThroughPlan', { unionName: root.name, ...PLAN_SPAN }));
  const keyIndicator = key === 'forecastWorkers' ? 'workers' : 'members';
  const actuals = await approvedSeries(db, root, [goal.indicator, keyIndicator]);
  const byId = new Map(unions.map((u) => [u.id, u]));
  const forecasts = new Map<number, number | null>();
  const units: AllocationUnit[] = unions.map((u) => {
    const series = (indicator: string) => actuals.get(`${u.id}|${indicator}`)?.series;
    const forecast = forecastFor(series(goal.indicator));
    forecasts.set(u.id, forecast);
    const keyValue = key === 'forecastWorkers'
      ? (keyIndicator === goal.indicator ? forecast : forecastFor(series(keyIndicator)))
      : key === 'members' ? baseOf(series('members')) : null;
    const parent = u.parentId === null ? undefined : byId.get(u.parentId);
    return { code: u.code, parentCode: u.id === root.id ? null : (parent?.code ?? null), base: baseOf(series(goal.indicator)), keyValue };
  });
  const byCode = new Map(unions.map((u) => [u.code, u]));
  const allocated = allocate({ units, root: root.code, goal: goal.value, key, path });
  const rows: PreviewRow[] = allocated.map((a) => ({ ...a, union: byCode.get(a.code)!, forecast: forecasts.get(byCode.get(a.code)!.id) ?? null }));

  const targets = await targetCells(db, root.path, goal.indicator);
  const cells: StoredCell[] = rows.flatMap((r) => r.years.map((y) => ({ unionCode: r.code, year: y.year, value: y.value, version: targets.get(`${r.code}|${y.year}`)?.version ?? 0 })));
  const token = randomBytes(16).toString('hex');
  // A national preview keeps ~8,500 cells: unapplied ones go after a day (applied ones stay: the gap view reads them).
  await db('allocation_preview').whereNull('applied_at').where('created_at', '<', new Date(Date.now() - PREVIEW_KEPT_MS)).delete();
  await db('allocation_preview').insert({
    token, root_code: root.code, indicator_code: goal.indicator, allocation_key: key, path, goal: goal.value,
    cells: JSON.stringify(cells), created_by: access.caller!.username, created_at: new Date(),
  });
  return { token, root: root.code, indicator: goal.indicator, key, path, goal: goal.value, rows };
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
