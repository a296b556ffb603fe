/** The plan's tables (issue 16): allocation previews and stored forecasts. */
import { defineEntity } from '@mikro-orm/core';
import { Union } from './entities.js';

const p = defineEntity.properties;

/** An allocation preview (issue 16): the cells it would write and the versions it read, under its token. */
export const AllocationPreview = defineEntity({
  name: 'AllocationPreview',
  properties: {
    token: p.string().length(64).primary(),
    rootCode: p.string().length(40),
    indicatorCode: p.string().length(100),
    allocationKey: p.string().length(40),
    path: p.string().length(20),
    goal: p.bigint(),
    cells: p.text(),
    createdBy: p.string().length(100),
    createdAt: p.datetime(),
    appliedAt: p.datetime().nullable(),
  },
});

/** A stored forecast of one union's series (issue 16); stale when the approved actuals' versions differ from `actualVersions`. */
export const Forecast = defineEntity({
  name: 'Forecast',
  uniques: [{ name: 'forecast_union_indicator_unique', properties: ['union', 'indicatorCode'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    union: () => p.manyToOne(Union),
    indicatorCode: p.string().length(100),
    method: p.string().length(20).nullable(),
    skipped: p.string().length(20).nullable(),
    parameters: p.text(),
    methods: p.text(),
    vals: p.text(),
    actualVersions: p.text(),
    explanationVi: p.text(),
    explanationEn: p.text(),
    computedBy: p.string().length(100),
    computedAt: p.datetime(),
  },
});

/** A reviewer's override of one forecast value (issue 16), append-only: the audit trail. */
export const ForecastOverride = defineEntity({
  name: 'ForecastOverride',
  indexes: [{ name: 'forecast_override_union_indicator', properties: ['union', 'indicatorCode'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    union: () => p.manyToOne(Union),
    indicatorCode: p.string().length(100),
    year: p.integer(),
    value: p.double(),
    computedValue: p.double().nullable(),
    reason: p.text(),
    actor: p.string().length(100),
    at: p.datetime(),
    actualVersions: p.text(),
  },
});
