import { printSubgraphSchema } from '@apollo/subgraph';
import { builder } from './builder.js';
import './union.js';
import './indicator.js';
import './figure.js';
import './grid.js';
import './user.js';
import './discrepancy.js';
import './progress.js';
import './report.js';
import './export.js';
import './import.js';
import './download.js';
import './notification.js';
import './round.js';
import './plan.js';
import './section.js';
import './commendation.js';
import { finiteFloats } from './finite.js';

/** Federation v2.6: @theguild/federation-composition refuses v2.10 and later. */
export const schema = finiteFloats(builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' }));

export function printSchemaSdl(): string {
  return printSubgraphSchema(schema);
}
