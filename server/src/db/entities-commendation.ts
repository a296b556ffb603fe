/** Commendation proposals (issue 15): the table of Migration20261202120000_commendations. */
import { defineEntity } from '@mikro-orm/core';
import { Union } from './entities.js';

const p = defineEntity.properties;

export const CommendationProposal = defineEntity({
  name: 'CommendationProposal',
  indexes: [{ name: 'commendation_proposal_root_status_idx', properties: ['rootCode', 'status'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    rootCode: p.string().length(40),
    kind: p.string().length(12),
    union: () => p.manyToOne(Union),
    personName: p.string().length(200).nullable(),
    position: p.string().length(300).nullable(),
    achievement: p.text(),
    status: p.string().length(12),
    reason: p.text().nullable(),
    proposedBy: p.string().length(100),
    proposedAt: p.datetime(),
    decidedBy: p.string().length(100).nullable(),
    decidedAt: p.datetime().nullable(),
  },
});
