/**
 * vi-VN numbers: "." groups thousands, "," is the decimal mark (1.234.567,5).
 * The grid's paste and the XLSX import both parse with `parseViNumber`, so a value
 * copied from Excel in a Vietnamese locale reads the same everywhere.
 */
/** A formatter per locale and number of decimals, made once. */
function formatterOf(locale: 'vi-VN' | 'en-US') {
  const made = new Map<number, Intl.NumberFormat>();
  return (value: number | null | undefined, maxFractionDigits = 2): string => {
    if (value === null || value === undefined || Number.isNaN(value)) return '';
    let f = made.get(maxFractionDigits);
    if (!f) made.set(maxFractionDigits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: maxFractionDigits })));
    return f.format(value);
  };
}

export const formatViNumber = formatterOf('vi-VN');

export type ParsedNumber = { ok: true; value: number | null } | { ok: false; error: string };

/**
 * Parse a number typed or pasted by a Vietnamese user. Accepts "1.234.567", "1234567",
 * "1.234,5", "12,5", "-3", "12,5%" (percent sign ignored), surrounding spaces and
 * non-breaking spaces. An empty string is `null` (clear the cell). A lone "." with exactly
 * three digits after it is read as a thousands separator, as Excel in vi-VN does.
 */
export function parseViNumber(input: string): ParsedNumber {
  const text = input.replace(/[\s\u00a0\u202f]/g, '').replace(/%$/, '');
  if (text === '') return { ok: true, value: null };
  const m = /^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(text);
  if (!m) {
    // Tolerate a plain machine number with a decimal point ("12.5"), as exported by programs.
    const plain = /^[+-]?\d+\.\d{1,2}$|^[+-]?\d+\.\d{4,}$/.exec(text);
    if (plain) return { ok: true, value: Number(text) };
    return { ok: false, error: `"${input}" is not a number` };
  }
  const [, sign, intPart, frac] = m;
  const value = Number(`${sign}${intPart!.replace(/\./g, '')}${frac ? `.${frac}` : ''}`);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, error: `"${input}" is not a number` };
}

/** en-US numbers (1,234,567.5), for English text built from data (e.g. the forecast's explanation). */
export const formatEnNumber = formatterOf('en-US');
