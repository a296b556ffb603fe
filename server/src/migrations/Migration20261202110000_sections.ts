import { Migration } from '@mikro-orm/migrations';
import { columnTypes, queue } from './columns.js';

/**
 * The written report (issue 15): each union's sections (current text, status, the approved version),
 * every saved version, the append-only trail, comments, passages tagged while compiling — and the
 * search index, written by the same transaction as each save: an FTS5 table on SQLite (diacritics
 * folded by the tokenizer), a tsvector over unaccent() with a GIN index on PostgreSQL.
 */
export class Migration20261202110000 extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const pg = (knex.client as { dialect?: string }).dialect === 'postgresql';
    const schema = () => knex.schema;
    queue(this, schema().createTable('unit_section', (t) => {
      t.increments('id');
      t.integer('union_id').notNullable().references('id').inTable('trade_union');
      t.string('section_code', 40).notNullable();
      /** EMPTY | DRAFT | SUBMITTED | APPROVED | RETURNED */
      t.string('status', 12).notNullable();
      /** 0 until the first save; each save adds one (the conditional update's compare-and-set). */
      t.integer('version').notNullable().defaultTo(0);
      t.text('document').nullable();
      t.text('plain_text').notNullable();
      t.text('html').notNullable();
      t.integer('approved_version').nullable();
      t.text('return_reason').nullable();
      t.datetime('updated_at').nullable();
      t.string('updated_by', 100).nullable();
      t.unique(['union_id', 'section_code'], { indexName: 'unit_section_union_section_unique' });
      t.index(['section_code'], 'unit_section_section_idx');
    }));
    queue(this, schema().createTable('section_version', (t) => {
      t.increments('id');
      t.integer('unit_section_id').notNullable().references('id').inTable('unit_section');
      t.integer('version').notNullable();
      t.text('document').notNullable();
      t.text('plain_text').notNullable();
      t.text('html').notNullable();
      t.integer('bytes').notNullable();
      t.string('actor', 100).notNullable();
      t.datetime('saved_at').notNullable();
      t.unique(['unit_section_id', 'version'], { indexName: 'section_version_section_version_unique' });
    }));
    queue(this, schema().createTable('section_event', (t) => {
      t.increments('id');
      t.integer('unit_section_id').notNullable().references('id').inTable('unit_section');
      /** SAVED | SUBMITTED | APPROVED | RETURNED; never updated or deleted. */
      t.string('kind', 12).notNullable();
      t.integer('version').notNullable();
      t.string('actor', 100).notNullable();
      t.datetime('at').notNullable();
      t.text('reason').nullable();
      t.index(['unit_section_id'], 'section_event_section_idx');
    }));
    queue(this, schema().createTable('section_comment', (t) => {
      t.increments('id');
      t.integer('unit_section_id').notNullable().references('id').inTable('unit_section');
      t.integer('version').notNullable();
      t.string('author', 100).notNullable();
      t.datetime('at').notNullable();
      t.text('text').notNullable();
      t.index(['unit_section_id'], 'section_comment_section_idx');
    }));
    queue(this, schema().createTable('passage_tag', (t) => {
      t.increments('id');
      t.integer('unit_section_id').notNullable().references('id').inTable('unit_section');
      t.integer('version').notNullable();
      t.string('tag', 40).notNullable();
      t.text('quote').notNullable();
      t.string('tagged_by', 100).notNullable();
      t.datetime('at').notNullable();
      t.index(['unit_section_id'], 'passage_tag_section_idx');
    }));
    // Rounds created before sections existed (the seeded 2017 round) never asked for them.
    queue(this, schema().alterTable('reporting_round', (t) => {
      t.specificType('sections_required', columnTypes(knex).boolean).notNullable().defaultTo(false);
    }));
    if (pg) {
      this.addSql('create extension if not exists unaccent');
      // 'simple' with unaccent in front: words are folded as they are indexed and queried, and
      // ts_headline (same configuration) marks the original words of the stored text. The vector is
      // written by the save, not computed by an index expression, so no IMMUTABLE wrapper is needed.
      this.addSql('create text search configuration section_search (copy = simple)');
      this.addSql('alter text search configuration section_search alter mapping for word, hword, hword_part, asciiword, asciihword, hword_asciipart with unaccent, simple');
      this.addSql('alter table unit_section add column search_vector tsvector');
      this.addSql('create index unit_section_search_idx on unit_section using gin (search_vector)');
    } else {
      // External content: rowid = unit_section.id, snippet() reads unit_section.plain_text back. The
      // write path indexes the text with đ/Đ folded to d (unicode61 keeps đ: it is a letter, not a
      // d with a mark), which has the same tokens as the stored text, so snippets line up.
      // The search joins every match to its section's few small columns: from this index, not from
      // the rows themselves, which carry the document, its text and HTML (kilobytes each).
      this.addSql('create index unit_section_search_cover on unit_section (id, union_id, status, version, section_code)');
      this.addSql("create virtual table section_fts using fts5(plain_text, content = 'unit_section', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2')");
    }
  }

  override async down(): Promise<void> {
    const knex = this.getKnex();
    const pg = (knex.client as { dialect?: string }).dialect === 'postgresql';
    if (pg) this.addSql('drop text search configuration if exists section_search');
    else this.addSql('drop table if exists section_fts');
    queue(this, knex.schema.alterTable('reporting_round', (t) => {
      t.dropColumn('sections_required');
    }));
    for (const table of ['passage_tag', 'section_comment', 'section_event', 'section_version', 'unit_section']) queue(this, knex.schema.dropTable(table));
  }
}
