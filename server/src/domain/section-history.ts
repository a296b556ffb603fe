/**
 * What lies behind a section: its kept versions, its trail, its comments and the passages tagged in
 * it — each read for many sections at once (a compiled list's rows), one query per kind.
 */
import type { SectionEventKind } from '@unionhub/schema';
import { isoTime, type Db } from './db.js';

export interface SectionVersionRow {
  version: number;
  savedAt: string;
  savedBy: string;
  bytes: number;
  plainText: string;
  html: string;
}
export interface SectionEventRow {
  kind: SectionEventKind;
  version: number;
  actor: string;
  at: string;
  reason: string | null;
}
export interface SectionCommentRow {
  id: number;
  version: number;
  author: string;
  at: string;
  text: string;
}
export interface PassageTagRow {
  id: number;
  sectionId: number;
  version: number;
  quote: string;
  taggedBy: string;
  at: string;
}

type Grouped<T> = Map<number, T[]>;

function group<T>(ids: readonly number[], rows: (T & { sid: number })[]): Grouped<T> {
  const out: Grouped<T> = new Map(ids.map((id) => [id, []]));
  for (const { sid, ...r } of rows) out.get(Number(sid))?.push(r as T);
  return out;
}

const who = (db: Db, column: string) => db.raw(`coalesce(a.display_name, ${column})`);

/** Every kept version, newest first. */
export async function versionsOf(db: Db, ids: readonly number[]): Promise<Grouped<SectionVersionRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db('section_version as v').leftJoin('app_user as a', 'a.username', 'v.actor')
    .select('v.unit_section_id as sid', 'v.version', 'v.saved_at as savedAt', who(db, 'v.actor').wrap('(', ') as "savedBy"'), 'v.bytes', 'v.plain_text as plainText', 'v.html')
    .whereIn('v.unit_section_id', [...ids]).orderBy([{ column: 'v.unit_section_id' }, { column: 'v.version', order: 'desc' }]);
  return group(ids, (rows as (SectionVersionRow & { sid: number; savedAt: unknown })[]).map((r) => ({ ...r, version: Number(r.version), bytes: Number(r.bytes), savedAt: isoTime(r.savedAt) })));
}

/** The trail, oldest first. */
export async function historiesOf(db: Db, ids: readonly number[]): Promise<Grouped<SectionEventRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db('section_event as e').leftJoin('app_user as a', 'a.username', 'e.actor')
    .select('e.unit_section_id as sid', 'e.kind', 'e.version', who(db, 'e.actor').wrap('(', ') as actor'), 'e.at', 'e.reason')
    .whereIn('e.unit_section_id', [...ids]).orderBy(['e.unit_section_id', 'e.id']);
  return group(ids, (rows as (SectionEventRow & { sid: number; at: unknown })[]).map((r) => ({ ...r, version: Number(r.version), at: isoTime(r.at) })));
}

export async function commentsOf(db: Db, ids: readonly number[]): Promise<Grouped<SectionCommentRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db('section_comment as c').leftJoin('app_user as a', 'a.username', 'c.author')
    .select('c.unit_section_id as sid', 'c.id', 'c.version', who(db, 'c.author').wrap('(', ') as author'), 'c.at', 'c.text')
    .whereIn('c.unit_section_id', [...ids]).orderBy(['c.unit_section_id', 'c.id']);
  return group(ids, (rows as (SectionCommentRow & { sid: number; at: unknown })[]).map((r) => ({ ...r, id: Number(r.id), version: Number(r.version), at: isoTime(r.at) })));
}

export async function tagsOf(db: Db, ids: readonly number[]): Promise<Grouped<PassageTagRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db('passage_tag as t').leftJoin('app_user as a', 'a.username', 't.tagged_by')
    .select('t.unit_section_id as sid', 't.unit_section_id as sectionId', 't.id', 't.version', 't.quote', who(db, 't.tagged_by').wrap('(', ') as "taggedBy"'), 't.at')
    .whereIn('t.unit_section_id', [...ids]).orderBy(['t.unit_section_id', 't.id']);
  return group(ids, (rows as (PassageTagRow & { sid: number; at: unknown })[]).map((r) => ({ ...r, id: Number(r.id), sectionId: Number(r.sectionId), version: Number(r.version), at: isoTime(r.at) })));
}

/** The plain texts of some versions of one section (diffs, tags); absent versions are missing from the map. */
export async function versionTexts(db: Db, sectionId: number, versions: readonly number[]): Promise<Map<number, string>> {
  const rows = (await db('section_version').select('version', 'plain_text as plainText').where('unit_section_id', sectionId).whereIn('version', [...new Set(versions)])) as { version: number; plainText: string }[];
  return new Map(rows.map((r) => [Number(r.version), r.plainText]));
}
