/**
 * The chart font for resvg (issue 16): Be Vietnam Pro as the client bundles it (@fontsource), which
 * ships only WOFF/WOFF2 subsets that resvg's loader does not read. The Latin and the Vietnamese
 * subsets are unpacked once per process into TrueType files, the Vietnamese one under a family of
 * its own. resvg's glyph-by-glyph fallback between two faces drops letters when they shape a word
 * into different numbers of glyphs ("số đoàn" lost its "đ": seen), so no fallback is left to it: each
 * text is cut into runs by which face has the character, each run measured from the face's own
 * advance widths and placed as its own <text> of that family.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/** The font's `name` table with its family names (IDs 1, 4, 6, 16) set to `family`. */
function renamed(name: Buffer, family: string): Buffer {
  const count = name.readUInt16BE(2);
  const storage = name.readUInt16BE(4);
  const strings: Buffer[] = [];
  const records = Buffer.alloc(12 * count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 12;
    name.copy(records, i * 12, at, at + 8);
    const platform = name.readUInt16BE(at);
    const id = name.readUInt16BE(at + 6);
    let text = name.subarray(storage + name.readUInt16BE(at + 10), storage + name.readUInt16BE(at + 10) + name.readUInt16BE(at + 8));
    if ([1, 4, 6, 16].includes(id)) {
      const value = id === 6 ? family.replace(/\s/g, '') : family;
      text = platform === 3 || platform === 0 ? Buffer.from(value, 'utf16le').swap16() : Buffer.from(value, 'latin1');
    }
    records.writeUInt16BE(text.length, i * 12 + 8);
    records.writeUInt16BE(offset, i * 12 + 10);
    strings.push(text);
    offset += text.length;
  }
  const head = Buffer.alloc(6);
  head.writeUInt16BE(0, 0);
  head.writeUInt16BE(count, 2);
  head.writeUInt16BE(6 + records.length, 4);
  return Buffer.concat([head, records, ...strings]);
}

/** A WOFF 1.0 file as the sfnt (TrueType/OpenType) it wraps: each table inflated where it was compressed; renamed to `family` if given. */
export function woffToSfnt(woff: Buffer, family: string | null = null): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compressed = woff.readUInt32BE(at + 8);
    const length = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compressed);
    const data = compressed < length ? inflateSync(raw) : raw;
    const tag = woff.subarray(at, at + 4);
    return { tag, checksum: woff.readUInt32BE(at + 16), data: family && tag.toString('latin1') === 'name' ? renamed(data, family) : data };
  });
  const head = Buffer.alloc(12 + 16 * count);
  woff.copy(head, 0, 4, 8); // the flavor: the sfnt version
  const power = 2 ** Math.floor(Math.log2(count));
  head.writeUInt16BE(count, 4);
  head.writeUInt16BE(power * 16, 6);
  head.writeUInt16BE(Math.log2(power), 8);
  head.writeUInt16BE(count * 16 - power * 16, 10);
  const parts: Buffer[] = [head];
  let offset = head.length;
  tables.forEach((t, i) => {
    t.tag.copy(head, 12 + 16 * i);
    head.writeUInt32BE(t.checksum, 12 + 16 * i + 4);
    head.writeUInt32BE(offset, 12 + 16 * i + 8);
    head.writeUInt32BE(t.data.length, 12 + 16 * i + 12);
    const pad = (4 - (t.data.length % 4)) % 4;
    parts.push(t.data, Buffer.alloc(pad));
    offset += t.data.length + pad;
  });
  return Buffer.concat(parts);
}

interface Face {
  family: string;
  file: string;
  unitsPerEm: number;
  /** Advance width by code point, in font units. */
  advance: Map<number, number>;
}

const table = (sfnt: Buffer, tag: string): Buffer => {
  const count = sfnt.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    if (sfnt.toString('latin1', at, at + 4) === tag) return sfnt.subarray(sfnt.readUInt32BE(at + 8), sfnt.readUInt32BE(at + 8) + sfnt.readUInt32BE(at + 12));
  }
  throw new Error(`font without a ${tag} table`);
};

/** Code point → glyph id from the Unicode cmap subtable (format 4 or 12). */
function glyphsOf(cmap: Buffer): Map<number, number> {
  const out = new Map<number, number>();
  const subtables = Array.from({ length: cmap.readUInt16BE(2) }, (_, i) => cmap.readUInt32BE(4 + i * 8 + 4));
  const format12 = subtables.find((o) => cmap.readUInt16BE(o) === 12);
  if (format12 !== undefined) {
    for (let g = 0, n = cmap.readUInt32BE(format12 + 12); g < n; g++) {
      const at = format12 + 16 + g * 12;
      for (let c = cmap.readUInt32BE(at); c <= cmap.readUInt32BE(at + 4); c++) out.set(c, cmap.readUInt32BE(at + 8) + c - cmap.readUInt32BE(at));
    }
    return out;
  }
  const o = subtables.find((x) => cmap.readUInt16BE(x) === 4)!;
  const segs = cmap.readUInt16BE(o + 6) / 2;
  const ends = o + 14;
  const starts = ends + segs * 2 + 2;
  const deltas = starts + segs * 2;
  const ranges = deltas + segs * 2;
  for (let i = 0; i < segs; i++) {
    const start = cmap.readUInt16BE(starts + i * 2);
    const end = cmap.readUInt16BE(ends + i * 2);
    const delta = cmap.readInt16BE(deltas + i * 2);
    const range = cmap.readUInt16BE(ranges + i * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      const g = range === 0 ? (c + delta) & 0xffff : cmap.readUInt16BE(ranges + i * 2 + range + (c - start) * 2);
      if (g !== 0) out.set(c, range === 0 ? g : (g + delta) & 0xffff);
    }
  }
  return out;
}

function faceOf(sfnt: Buffer, family: string, file: string): Face {
  const metrics = table(sfnt, 'hmtx');
  const longs = table(sfnt, 'hhea').readUInt16BE(34);
  const advance = new Map<number, number>();
  for (const [c, g] of glyphsOf(table(sfnt, 'cmap'))) advance.set(c, metrics.readUInt16BE(Math.min(g, longs - 1) * 4));
  return { family, file, unitsPerEm: table(sfnt, 'head').readUInt16BE(18), advance };
}

export const CHART_FONT = 'Be Vietnam Pro';
const SUBSETS = [{ subset: 'latin', family: CHART_FONT }, { subset: 'vietnamese', family: `${CHART_FONT} VI` }] as const;

let faces: Face[] | undefined;
/** The chart's faces (Latin first), unpacked on first use. */
export function chartFaces(): Face[] {
  if (faces) return faces;
  const require = createRequire(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-fonts-'));
  faces = SUBSETS.map(({ subset, family }) => {
    const sfnt = woffToSfnt(readFileSync(require.resolve(`@fontsource/be-vietnam-pro/files/be-vietnam-pro-${subset}-400-normal.woff`)), family === CHART_FONT ? null : family);
    const file = join(dir, `be-vietnam-pro-${subset}-400.ttf`);
    writeFileSync(file, sfnt);
    return faceOf(sfnt, family, file);
  });
  return faces;
}

/** The text cut into runs of one face each (the first face that has the character), each with its width at `size`. */
export function textRuns(text: string, size: number): { family: string; text: string; width: number }[] {
  const all = chartFaces();
  const runs: { family: string; text: string; width: number }[] = [];
  for (const ch of text.normalize('NFC')) {
    const c = ch.codePointAt(0)!;
    const face = all.find((f) => f.advance.has(c)) ?? all[0]!;
    const width = ((face.advance.get(c) ?? face.unitsPerEm / 2) * size) / face.unitsPerEm;
    const last = runs[runs.length - 1];
    if (last && last.family === face.family) {
      last.text += ch;
      last.width += width;
    } else runs.push({ family: face.family, text: ch, width });
  }
  return runs;
}
