/**
 * Writing the written report (issue 15): save with the version the editor started from, submit,
 * approve the version the reviewer read, send back with a reason, comment, tag a passage. Every
 * save keeps its version and appends to the trail; the search index is written in the same
 * transaction. Who may do what follows the cells' rules (access.ts): reporters of the union write
 * and submit, a reviewer above it (or an administrator) approves and sends back, four-eyes applies.
 *
 * Saving a SUBMITTED or APPROVED section is allowed and moves it back to DRAFT: the reporter takes
 * the text back to correct it. A reviewer then cannot approve text they have not read (approve
 * names the version read; a newer one is CONFLICT), and an approved version stays the one the
 * report uses (approvedVersion) until a newer one is approved — so nothing approved changes
 * behind a reviewer's back, and nobody has to ask a reviewer to "unlock" a paragraph.
 */
import { GOOD_PRACTICE, type SectionEventKind, type SectionStatus } from '@unionhub/schema';
import { forbidden, type Access } from './access.js';
import { insertedId, type Db } from './db.js';
import { DomainError, said } from './errors.js';
import type { DomainEvent, WithEvents } from './events.js';
import { checkDocument, parseStored, type CheckedDocument } from './section-document.js';
import { versionTexts, type PassageTagRow, type SectionCommentRow } from './section-history.js';
import { sectionRows, specFor, type SectionRow } from './section-read.js';
import { indexSection } from './section-search.js';
import { unionByCode, type UnionRow } from './unions.js';

export interface SectionResult extends WithEvents {
  section: SectionRow;
}

interface Target {
  union: UnionRow;
  code: string;
}

/** The union and section named, the caller's right to `op` on them checked. */
async function target(db: Db, access: Access, unionCode: string, code: string, check: (union: UnionRow) => void): Promise<Target> {
  // The write's own right is what a refusal names (every write right implies reading the union).
  const union = await unionByCode(db, unionCode);
  check(union);
  specFor(union, code);
  return { union, code };
}

const mayReview = (access: Access, union: UnionRow) => access.canAbove('approve', union.path) || (access.isAdministrator && access.can('approve', union.path));

function requireReviewer(access: Access, union: UnionRow): void {
  if (!mayReview(access, union)) throw forbidden(`Only a reviewer above ${union.name} may approve or send back its report`, said('section.forbiddenReview', { unionName: union.name }));
}

/** What the caller may do with a section (the screens' buttons). */
export function sectionRights(access: Access, row: SectionRow) {
  const path = row.union.path;
  return {
    canEdit: access.can('edit', path),
    canSubmit: access.can('submit', path) && (row.status === 'DRAFT' || row.status === 'RETURNED'),
    canReview: mayReview(access, row.union) && row.status === 'SUBMITTED',
  };
}

interface Locked {
  id: number;
  version: number;
  status: SectionStatus;
  plainText: string;
  updatedBy: string | null;
}

/** The section's row, created EMPTY if it has none (a concurrent creator wins quietly: the unique pair). */
async function ensureRow(trx: Db, t: Target): Promise<Locked> {
  await trx('unit_section').insert({ union_id: t.union.id, section_code: t.code, status: 'EMPTY', version: 0, plain_text: '', html: '' })
    .onConflict(['union_id', 'section_code']).ignore();
  const row = (await trx('unit_section').select('id', 'version', 'status', 'plain_text as plainText', 'updated_by as updatedBy')
    .where({ union_id: t.union.id, section_code: t.code }).first()) as Locked;
  return { ...row, id: Number(row.id), version: Number(row.version) };
}

async function current(db: Db, access: Access, t: Target): Promise<SectionRow> {
  return (await sectionRows(db, access, [{ union: t.union, spec: specFor(t.union, t.code) }]))[0]!;
}

async function conflict(trx: Db, t: Target, base: number): Promise<DomainError> {
  const now = (await trx('unit_section').select('version', 'document', 'plain_text as plainText', 'html').where({ union_id: t.union.id, section_code: t.code }).first()) as
    { version: number; document: string | null; plainText: string; html: string } | undefined;
  const version = Number(now?.version ?? 0);
  return new DomainError('CONFLICT', `Version ${version} was saved meanwhile (you started from ${base}); nothing was written`, {
    http: { status: 409 }, ...said('section.conflict', { version, expected: base }),
    currentVersion: version, currentHtml: now?.html ?? '', currentPlainText: now?.plainText ?? '', currentDocument: now?.document ? parseStored(now.document) : null,
  });
}

const changed = (t: Target, version: number, change: Extract<DomainEvent, { kind: 'sectionChanged' }>['change']): DomainEvent[] =>
  [{ kind: 'sectionChanged', unionCode: t.union.code, unionPath: t.union.path, section: t.code, version, change }];

async function append(trx: Db, id: number, kind: SectionEventKind, version: number, actor: string, at: Date, reason: string | null = null): Promise<void> {
  await trx('section_event').insert({ unit_section_id: id, kind, version, actor, at, reason });
}

/**
 * Store a checked document as the next version if the section is still at `base`: the compare-and-set
 * is the UPDATE's own WHERE version = base, so of two saves from one base exactly one wins (PostgreSQL
 * re-checks the row after the winner commits; SQLite runs one writer at a time).
 */
export async function storeVersion(trx: Db, t: Target, doc: CheckedDocument, base: number, actor: string, at: Date): Promise<number> {
  const row = await ensureRow(trx, t);
  if (row.version !== base) throw await conflict(trx, t, base);
  const version = base + 1;
  const updated = await trx('unit_section').where({ id: row.id, version: base }).update({
    version, status: 'DRAFT', document: doc.json, plain_text: doc.plainText, html: doc.html, updated_at: at, updated_by: actor,
  });
  if (updated !== 1) throw await conflict(trx, t, base);
  await trx('section_version').insert({ unit_section_id: row.id, version, document: doc.json, plain_text: doc.plainText, html: doc.html, bytes: doc.bytes, actor, saved_at: at });
  await append(trx, row.id, 'SAVED', version, actor, at);
  await indexSection(trx, row.id, row.version > 0 ? row.plainText : null, doc.plainText);
  return version;
}

/** Save the editor's document as a new version; `baseVersion` is the version the editor started from (0: new). */
export async function saveSection(db: Db, access: Access, unionCode: string, code: string, document: unknown, baseVersion: number, now: Date): Promise<SectionResult> {
  const t = await target(db, access, unionCode, code, (u) => access.require('edit', u.path, `Your roles do not allow writing ${u.name}'s report`, { why: said('section.forbiddenEdit', { unionName: u.name }) }));
  const doc = checkDocument(document);
  const version = await db.transaction((trx) => storeVersion(trx, t, doc, baseVersion, access.caller!.username, now));
  return { section: await current(db, access, t), events: changed(t, version, 'SAVED') };
}

/** Move the section from one of `from` to `to` at its current version, under the row's own compare-and-set. */
async function move(trx: Db, t: Target, row: Locked, to: SectionStatus, set: Record<string, unknown>): Promise<boolean> {
  return (await trx('unit_section').where({ id: row.id, version: row.version, status: row.status }).update({ status: to, ...set })) === 1;
}

export async function submitSection(db: Db, access: Access, unionCode: string, code: string, now: Date): Promise<SectionResult> {
  const t = await target(db, access, unionCode, code, (u) => access.require('submit', u.path, `Your roles do not allow submitting ${u.name}'s report`, { why: said('section.forbiddenSubmit', { unionName: u.name }) }));
  const version = await db.transaction(async (trx) => {
    const row = await ensureRow(trx, t);
    if (row.version === 0 || (row.status !== 'DRAFT' && row.status !== 'RETURNED') || !(await move(trx, t, row, 'SUBMITTED', { return_reason: null }))) {
      throw new DomainError('FORBIDDEN_TRANSITION', `Only a written draft or returned section can be submitted (this one is ${row.status})`, { http: { status: 409 }, ...said('section.notSubmittable') });
    }
    await append(trx, row.id, 'SUBMITTED', row.version, access.caller!.username, now);
    return row.version;
  });
  return { section: await current(db, access, t), events: changed(t, version, 'SUBMITTED') };
}

/** Approve the version the reviewer read; a newer version meanwhile is CONFLICT. */
export async function approveSection(db: Db, access: Access, unionCode: string, code: string, version: number, now: Date): Promise<SectionResult> {
  const t = await target(db, access, unionCode, code, (u) => requireReviewer(access, u));
  await db.transaction(async (trx) => {
    const row = await ensureRow(trx, t);
    if (row.version !== version) {
      throw new DomainError('CONFLICT', `Version ${row.version} is newer than the ${version} you read`, { http: { status: 409 }, ...said('section.approveConflict', { version: row.version, expected: version }), currentVersion: row.version });
    }
    if (row.status !== 'SUBMITTED') throw new DomainError('FORBIDDEN_TRANSITION', `Only a submitted section can be approved (this one is ${row.status})`, { http: { status: 409 }, ...said('section.notSubmitted') });
    if (!access.mayApproveWrittenBy(row.updatedBy)) throw forbidden('You wrote this version: someone else must approve it', said('section.fourEyes'));
    if (!(await move(trx, t, row, 'APPROVED', { approved_version: version, return_reason: null }))) throw await conflict(trx, t, version);
    await append(trx, row.id, 'APPROVED', version, access.caller!.username, now);
  });
  return { section: await current(db, access, t), events: changed(t, version, 'APPROVED') };
}

/** Send a submitted (or approved) section back with a reason; it becomes editable again (RETURNED, then DRAFT on save). */
export async function sendBackSection(db: Db, access: Access, unionCode: string, code: string, reason: string, now: Date): Promise<SectionResult> {
  const t = await target(db, access, unionCode, code, (u) => requireReviewer(access, u));
  const why = reason.trim();
  if (!why) throw new DomainError('VALIDATION', 'A reason is required', { http: { status: 400 }, fields: ['reason'], ...said('section.reasonRequired') });
  const version = await db.transaction(async (trx) => {
    const row = await ensureRow(trx, t);
    if ((row.status !== 'SUBMITTED' && row.status !== 'APPROVED') || !(await move(trx, t, row, 'RETURNED', { return_reason: why }))) {
      throw new DomainError('FORBIDDEN_TRANSITION', `Only a submitted or approved section can be sent back (this one is ${row.status})`, { http: { status: 409 }, ...said('section.notSubmitted') });
    }
    await append(trx, row.id, 'RETURNED', row.version, access.caller!.username, now, why);
    return row.version;
  });
  return { section: await current(db, access, t), events: changed(t, version, 'RETURNED') };
}

export async function commentSection(db: Db, access: Access, unionCode: string, code: string, text: string, now: Date): Promise<WithEvents & { comment: SectionCommentRow }> {
  const t = await target(db, access, unionCode, code, (u) => access.require('comment', u.path, 'Your roles do not allow commenting here', { why: said('comment.forbidden') }));
  const body = text.trim();
  if (!body) throw new DomainError('VALIDATION', 'A comment needs text', { http: { status: 400 }, fields: ['text'], ...said('comment.empty') });
  const actor = access.caller!;
  const comment = await db.transaction(async (trx) => {
    const row = await ensureRow(trx, t);
    const id = insertedId(await trx('section_comment').insert({ unit_section_id: row.id, version: row.version, author: actor.username, at: now, text: body }).returning('id'));
    return { id, version: row.version, author: actor.displayName, at: now.toISOString(), text: body };
  });
  return { comment, events: changed(t, comment.version, 'COMMENTED') };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Tag a passage of a kept version as good practice while compiling; the quote must be in that version's text. */
export async function tagPassage(db: Db, access: Access, unionCode: string, code: string, version: number, quote: string, now: Date): Promise<WithEvents & { tag: PassageTagRow; union: UnionRow }> {
  const t = await target(db, access, unionCode, code, (u) => access.require('approve', u.path, `Your roles do not allow tagging ${u.name}'s report`, { why: said('section.forbiddenReview', { unionName: u.name }) }));
  const text = squash(quote);
  const actor = access.caller!;
  const tag = await db.transaction(async (trx) => {
    const row = await ensureRow(trx, t);
    const source = (await versionTexts(trx, row.id, [version])).get(version);
    if (source === undefined) throw new DomainError('NOT_FOUND', `No version ${version} of this section`, { http: { status: 404 }, ...said('section.noVersion', { version }) });
    if (!text || !squash(source).includes(text)) throw new DomainError('VALIDATION', `The quote is not in version ${version}`, { http: { status: 400 }, fields: ['quote'], ...said('section.quoteNotFound', { version }) });
    const id = insertedId(await trx('passage_tag').insert({ unit_section_id: row.id, version, tag: GOOD_PRACTICE.code, quote: text, tagged_by: actor.username, at: now }).returning('id'));
    return { id, sectionId: row.id, version, quote: text, taggedBy: actor.displayName, at: now.toISOString() };
  });
  return { tag, union: t.union, events: changed(t, version, 'TAGGED') };
}
