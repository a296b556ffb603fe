/**
 * PostgreSQL server chores that happen outside one database: creating and dropping databases
 * (the tests' per-file copies of a seeded template, `pnpm seed`'s fresh start). They run on the
 * server's maintenance database, `postgres`.
 */
import { MikroORM } from '@mikro-orm/core';
import { ormOptions } from './orm.js';

/** The URL of database `name` on the same server as `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The database a URL names. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function onServer(url: string, statements: string[]): Promise<void> {
  const orm = await MikroORM.init({ ...ormOptions({ kind: 'postgresql', location: databaseUrl(url, 'postgres') }), pool: { min: 0, max: 1 } });
  try {
    for (const sql of statements) await orm.em.getConnection().execute(sql);
  } finally {
    await orm.close();
  }
}

/** Create database `name` (empty, or a copy of `template`, which nobody may be connected to). */
export async function createDatabase(url: string, name: string, template?: string): Promise<void> {
  await onServer(url, [`create database ${ident(name)}${template ? ` template ${ident(template)}` : ''}`]);
}

/** Drop database `name`, ending its sessions. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await onServer(url, [`drop database if exists ${ident(name)} with (force)`]);
}

/** Empty the database at `url` (every table of its `public` schema), for a fresh migrate and seed; create it when missing. */
export async function emptyDatabase(url: string): Promise<void> {
  const exists = await new Promise<boolean>((ok) => {
    MikroORM.init({ ...ormOptions({ kind: 'postgresql', location: databaseUrl(url, 'postgres') }), pool: { min: 0, max: 1 } }).then(async (orm) => {
      const rows = await orm.em.getConnection().execute('select 1 from pg_database where datname = ?', [databaseName(url)]);
      await orm.close();
      ok(rows.length > 0);
    }, () => ok(true)); // no maintenance database to ask: assume it exists and let the next step say otherwise
  });
  if (!exists) return createDatabase(url, databaseName(url));
  const orm = await MikroORM.init({ ...ormOptions({ kind: 'postgresql', location: url }), pool: { min: 0, max: 1 } });
  try {
    await orm.em.getConnection().execute('drop schema if exists public cascade');
    await orm.em.getConnection().execute('create schema public');
  } finally {
    await orm.close();
  }
}
