/**
 * Generated files read back through LibreOffice (Debian's, headless), as a person's office suite
 * would open them: a DOCX as plain text. Each run its own profile, so parallel runs never share one.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

export function officeDir(): { dir: string; remove(): void } {
  if (!soffice) throw new Error('No soffice: run the README test command (tests/setup-system.sh installs libreoffice-calc-nogui/writer-nogui)');
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-office-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Convert `bytes` (a file named `name`) with LibreOffice; the converted file's path. Asynchronous, so the test's server keeps answering. */
export async function convert(dir: string, bytes: Buffer, name: string, to: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  await run(soffice!, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', to, '--outdir', out, file], {
    env: { ...process.env, HOME: dir }, timeout: 120_000,
  });
  const files = readdirSync(out);
  if (files.length === 0) throw new Error(`LibreOffice wrote nothing converting ${name} to ${to}`);
  return join(out, files[0]!);
}

/** A DOCX's text as LibreOffice reads it. */
export async function docxText(dir: string, bytes: Buffer): Promise<string> {
  return readFileSync(await convert(dir, bytes, `doc-${Math.random().toString(36).slice(2)}.docx`, 'txt:Text (encoded):UTF8'), 'utf8');
}
