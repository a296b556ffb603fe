import type { Knex } from '@mikro-orm/knex';
import { INDICATORS, indicatorLabel, LAST_YEAR } from '@unionhub/schema';

/**
 * Upsert the catalogue's indicators into their table (labels as of the latest year); rows already
 * equal are not written. Through knex, not the entity manager: its flush runs inside an
 * AsyncLocalStorage, and the first such run turns on Node 20's promise hooks for the life of the
 * process (every await then costs ~2.5×; measured in the issue note of this change).
 */
export async function syncCatalogue(db: Knex): Promise<void> {
  const existing = new Map<string, Record<string, unknown>>((await db('indicator').select('*')).map((r: Record<string, unknown>) => [r.code as string, r]));
  const rows = INDICATORS.map((def, sortOrder) => ({
    code: def.code,
    category: def.category,
    unit: def.unit,
    kind: def.kind,
    total_code: def.total ?? null,
    label_vi: indicatorLabel(def, LAST_YEAR, 'vi'),
    label_en: indicatorLabel(def, LAST_YEAR, 'en'),
    sort_order: sortOrder,
  }));
  const changed = rows.filter((row) => {
    const stored = existing.get(row.code);
    return !stored || Object.entries(row).some(([k, v]) => stored[k] !== v);
  });
  if (changed.length) await db('indicator').insert(changed).onConflict('code').merge();
}
