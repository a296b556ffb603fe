/**
 * The forecast-and-target chart for the Word document: the page's geometry (schema's
 * planChartGeometry) written as an SVG string and rasterised to PNG by resvg, with the font the
 * client bundles (Be Vietnam Pro, @fontsource). Fontsource ships only WOFF/WOFF2, which resvg's font
 * loader does not read, so its WOFF files are unpacked once per process into plain TrueType files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import type { ChartGeometry } from '@unionhub/schema';

export const CHART_FONT = 'Be Vietnam Pro';
/** The Latin subset and the Vietnamese one (Đ, ư, ơ and the stacked marks); resvg falls back between them glyph by glyph. */
const SUBSETS = ['latin', 'vietnamese'] as const;

/** A WOFF 1.0 file as the sfnt (TrueType/OpenType) it wraps: each table inflated where it was compressed. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compressed = woff.readUInt32BE(at + 8);
    const length = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compressed);
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data: compressed < length ? inflateSync(raw) : raw };
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

let fontFiles: string[] | undefined;
/** The chart font as TrueType files, unpacked on first use. */
function chartFontFiles(): string[] {
  if (fontFiles) return fontFiles;
  const require = createRequire(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'unionhub-fonts-'));
  fontFiles = SUBSETS.map((subset) => {
    const file = join(dir, `be-vietnam-pro-${subset}-400.ttf`);
    writeFileSync(file, woffToSfnt(readFileSync(require.resolve(`@fontsource/be-vietnam-pro/files/be-vietnam-pro-${subset}-400-normal.woff`))));
    return file;
  });
  return fontFiles;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart as a standalone SVG document: the same elements the report page draws. */
export function chartSvg(g: ChartGeometry, noData: string): string {
  const { plot } = g;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" font-family="${CHART_FONT}">`,
    `<rect width="${g.width}" height="${g.height}" fill="#ffffff"/>`,
    `<text x="${g.width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${esc(g.title)}</text>`,
  ];
  for (const t of g.yTicks) {
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${t.y.toFixed(1)}" y2="${t.y.toFixed(1)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${plot.left - 6}" y="${(t.y + 3).toFixed(1)}" text-anchor="end" font-size="10">${esc(t.label)}</text>`);
  }
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#888888"/>`);
  for (const t of g.xTicks) out.push(`<text x="${t.x.toFixed(1)}" y="${plot.bottom + 15}" text-anchor="middle" font-size="10">${esc(t.label)}</text>`);
  if (g.empty) out.push(`<text x="${(plot.left + plot.right) / 2}" y="${(plot.top + plot.bottom) / 2}" text-anchor="middle" font-size="12" fill="#666666">${esc(noData)}</text>`);
  for (const l of g.lines) {
    const dash = l.dash ? ` stroke-dasharray="${l.dash}"` : '';
    for (const seg of l.segments) out.push(`<polyline points="${seg}" fill="none" stroke="${l.color}" stroke-width="2.5"${dash}/>`);
    for (const p of l.points) out.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3.5" fill="${l.key === 'target' ? l.color : '#ffffff'}" stroke="${l.color}" stroke-width="2"/>`);
  }
  for (const e of g.legend) {
    out.push(`<line x1="${e.x}" x2="${e.x + 24}" y1="${e.y - 4}" y2="${e.y - 4}" stroke="${e.color}" stroke-width="2.5"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`);
    out.push(`<text x="${e.x + 30}" y="${e.y}" font-size="11">${esc(e.label)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The chart as PNG at `zoom` × its size (sharp when Word prints it at its size). */
export function chartPng(g: ChartGeometry, noData: string, zoom = 2): Buffer {
  const resvg = new Resvg(chartSvg(g, noData), {
    font: { fontFiles: chartFontFiles(), loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    fitTo: { mode: 'zoom', value: zoom },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
