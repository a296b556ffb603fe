/**
 * The forecast-and-target chart for the Word document: the page's geometry (schema's
 * planChartGeometry) written as an SVG string and rasterised to PNG by resvg, with the font the
 * client bundles (chart-font.ts: Be Vietnam Pro, its text laid out in runs of one face each).
 */
import { renderAsync } from '@resvg/resvg-js';
import type { ChartGeometry } from '@unionhub/schema';
import { CHART_FONT, chartFaces, textRuns } from './chart-font.js';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A line of text as one <text> per run of one face, placed by the runs' widths (`anchor` as SVG's text-anchor). */
function text(x: number, y: number, value: string, size: number, anchor: 'start' | 'middle' | 'end' = 'start', fill = '#000000'): string {
  const runs = textRuns(value, size);
  const total = runs.reduce((a, r) => a + r.width, 0);
  let at = anchor === 'start' ? x : anchor === 'middle' ? x - total / 2 : x - total;
  return runs.map((r) => {
    const el = `<text x="${at.toFixed(2)}" y="${y.toFixed(1)}" font-family="${r.family}" font-size="${size}" fill="${fill}" xml:space="preserve">${escape(r.text)}</text>`;
    at += r.width;
    return el;
  }).join('');
}

/** The chart as a standalone SVG document: the same elements the report page draws. */
export function chartSvg(g: ChartGeometry, noData: string): string {
  const { plot } = g;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" font-family="${CHART_FONT}">`,
    `<rect width="${g.width}" height="${g.height}" fill="#ffffff"/>`,
    text(g.width / 2, 18, g.title, 14, 'middle'),
  ];
  for (const t of g.yTicks) {
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${t.y.toFixed(1)}" y2="${t.y.toFixed(1)}" stroke="#e0e0e0"/>`);
    out.push(text(plot.left - 6, t.y + 3, t.label, 10, 'end'));
  }
  out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#888888"/>`);
  for (const t of g.xTicks) out.push(text(t.x, plot.bottom + 15, t.label, 10, 'middle'));
  if (g.empty) out.push(text((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2, noData, 12, 'middle', '#666666'));
  for (const l of g.lines) {
    const dash = l.dash ? ` stroke-dasharray="${l.dash}"` : '';
    for (const seg of l.segments) out.push(`<polyline points="${seg}" fill="none" stroke="${l.color}" stroke-width="2.5"${dash}/>`);
    for (const p of l.points) out.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3.5" fill="${l.key === 'target' ? l.color : '#ffffff'}" stroke="${l.color}" stroke-width="2"/>`);
  }
  for (const e of g.legend) {
    out.push(`<line x1="${e.x}" x2="${e.x + 24}" y1="${e.y - 4}" y2="${e.y - 4}" stroke="${e.color}" stroke-width="2.5"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`);
    out.push(text(e.x + 30, e.y, e.label, 11));
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The chart as PNG at `zoom` × its size (sharp when Word prints it at its size); rendered off the event loop (~70 ms each). */
export async function chartPng(g: ChartGeometry, noData: string, zoom = 2): Promise<Buffer> {
  const image = await renderAsync(chartSvg(g, noData), {
    font: { fontFiles: chartFaces().map((f) => f.file), loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    fitTo: { mode: 'zoom', value: zoom },
    logLevel: 'off',
  });
  return image.asPng();
}
