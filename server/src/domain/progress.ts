/**
 * Approval progress for a dashboard: per union of a subtree (to a depth) and year, how many cells
 * of its whole subtree are draft, submitted, approved, approved with a proposal, and how many
 * discrepancies are still open. One GROUP BY over the subtree's cells, rolled up along the paths.
 * Only what the caller may see is counted: approved cells where it reads the union, the rest
 * (draft, submitted, proposals, discrepancies) where it reads unapproved data.
 */
import type { Scenario } from '@unionhub/schema';
import { pathRange, type Db } from './db.js';
import type { Access, Visibility } from './access.js';
import { DomainError } from './errors.js';
import { subtree, unionByCode, type UnionRow } from './unions.js';

export interface ProgressRow {
  union: UnionRow;
  year: number;
  draft: number;
  submitted: number;
  approved: number;
  withProposal: number;
  openDiscrepancies: number;
}

export async function approvalProgress(db: Db, rootCode: string, depth: number, years: number[], scenario: Scenario, access: Access): Promise<ProgressRow[]> {
  if (years.length === 0) throw new DomainError('VALIDATION', 'Ask for at least one year');
  const root = await unionByCode(db, rootCode);
  const shown = await subtree(db, root, depth, { from: Math.min(...years), to: Math.max(...years) });
  const [lo, hi] = pathRange(root.path);
  const cells: { path: string; year: number; status: string; proposals: number; n: number }[] = await db('figure as f')
    .join('trade_union as u', 'u.id', 'f.union_id')
    .select('u.path', 'f.year', 'f.status')
    .sum({ proposals: db.raw('case when f.proposed_value is not null then 1 else 0 end') })
    .count({ n: '*' })
    .where('u.path', '>=', lo)
    .andWhere('u.path', '<', hi)
    .whereIn('f.year', years)
    .where('f.scenario', scenario)
    .groupBy('u.path', 'f.year', 'f.status');
  const open: { path: string; year: number; n: number }[] = await db('discrepancy as d')
    .join('trade_union as u', 'u.id', 'd.union_id')
    .select('u.path', 'd.year')
    .count({ n: '*' })
    .where('u.path', '>=', lo)
    .andWhere('u.path', '<', hi)
    .whereIn('d.year', years)
    .where('d.scenario', scenario)
    .whereIn('d.state', ['open', 'explained'])
    .groupBy('u.path', 'd.year');
  const rows = new Map<string, ProgressRow>();
  for (const u of shown) for (const year of years) rows.set(`${u.path}|${year}`, { union: u, year, draft: 0, submitted: 0, approved: 0, withProposal: 0, openDiscrepancies: 0 });
  const ancestorsShown = (path: string) => {
    const parts = path.split('/').filter(Boolean);
    return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`).filter((p) => p.startsWith(root.path));
  };
  const seen = new Map<string, Visibility>();
  const visibility = (path: string) => seen.get(path) ?? seen.set(path, access.visibility(path)).get(path)!;
  for (const c of cells) {
    const v = visibility(c.path);
    if (v === 'none' || (v === 'approved' && c.status !== 'approved')) continue;
    for (const p of ancestorsShown(c.path)) {
      const row = rows.get(`${p}|${c.year}`);
      if (!row) continue;
      row[c.status as 'draft' | 'submitted' | 'approved'] += Number(c.n);
      if (v === 'all') row.withProposal += Number(c.proposals);
    }
  }
  for (const d of open) if (visibility(d.path) === 'all') for (const p of ancestorsShown(d.path)) {
    const row = rows.get(`${p}|${d.year}`);
    if (row) row.openDiscrepancies += Number(d.n);
  }
  return [...rows.values()];
}
