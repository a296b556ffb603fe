/** Every migration, in order. Listed explicitly so tsx, Vitest and a build all load the same set. */
import { Migration20261124162435 } from './Migration20261124162435_initial.js';
import { Migration20261124165504 } from './Migration20261124165504_access.js';
import { Migration20261124170850 } from './Migration20261124170850_reconciliation.js';
import { Migration20261124203000 } from './Migration20261124203000_report_editions.js';
import { Migration20261201220000 } from './Migration20261201220000_token_issuer.js';
import { Migration20261202040000 } from './Migration20261202040000_notifications.js';
import { Migration20261202041000 } from './Migration20261202041000_reporting_round.js';
import { Migration20261202090000 } from './Migration20261202090000_shared_limits.js';
import { Migration20261202100000 } from './Migration20261202100000_plan.js';
import { Migration20261202110000 } from './Migration20261202110000_sections.js';
import { Migration20261202120000 } from './Migration20261202120000_commendations.js';
import { Migration20261202130000 } from './Migration20261202130000_forecast_override.js';
import { Migration20261203010000 } from './Migration20261203010000_figure_pack.js';

export const MIGRATIONS = [
  { name: 'Migration20261124162435_initial', class: Migration20261124162435 },
  { name: 'Migration20261124165504_access', class: Migration20261124165504 },
  { name: 'Migration20261124170850_reconciliation', class: Migration20261124170850 },
  { name: 'Migration20261124203000_report_editions', class: Migration20261124203000 },
  { name: 'Migration20261201220000_token_issuer', class: Migration20261201220000 },
  { name: 'Migration20261202040000_notifications', class: Migration20261202040000 },
  { name: 'Migration20261202041000_reporting_round', class: Migration20261202041000 },
  { name: 'Migration20261202090000_shared_limits', class: Migration20261202090000 },
  { name: 'Migration20261202100000_plan', class: Migration20261202100000 },
  { name: 'Migration20261202110000_sections', class: Migration20261202110000 },
  { name: 'Migration20261202120000_commendations', class: Migration20261202120000 },
  { name: 'Migration20261202130000_forecast_override', class: Migration20261202130000 },
  { name: 'Migration20261203010000_figure_pack', class: Migration20261203010000 },
];
