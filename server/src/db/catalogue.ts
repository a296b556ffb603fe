import type { EntityManager } from '@mikro-orm/core';
import { INDICATORS, indicatorLabel, LAST_YEAR } from '@unionhub/schema';
import { Indicator } from './entities.js';

/** Upsert the catalogue's indicators into their table (labels as of the latest year). */
export async function syncCatalogue(em: EntityManager): Promise<void> {
  const existing = new Map((await em.find(Indicator, {})).map((i) => [i.code, i]));
  INDICATORS.forEach((def, sortOrder) => {
    const data = {
      code: def.code,
      category: def.category,
      unit: def.unit,
      kind: def.kind,
      totalCode: def.total,
      labelVi: indicatorLabel(def, LAST_YEAR, 'vi'),
      labelEn: indicatorLabel(def, LAST_YEAR, 'en'),
      sortOrder,
    };
    const row = existing.get(def.code);
    if (row) em.assign(row, data);
    else em.create(Indicator, data);
  });
  await em.flush();
}
