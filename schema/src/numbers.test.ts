import { describe, expect, it } from 'vitest';
import { formatViNumber, parseViNumber } from './numbers.js';
import { foldDiacritics } from './text.js';

describe('vi-VN numbers', () => {
  it.each([
    ['1.234.567', 1234567],
    ['1234567', 1234567],
    ['1.234,5', 1234.5],
    ['12,75', 12.75],
    ['-3', -3],
    [' 8.558.063 ', 8558063],
    ['8\u00a0558\u00a0063', 8558063],
    ['95,5%', 95.5],
    ['12.5', 12.5],
    ['', null],
  ])('parses %j', (text, value) => {
    expect(parseViNumber(text)).toEqual({ ok: true, value });
  });

  it.each(['abc', '1,2,3', '1.23.4', '12a', '--1'])('refuses %j', (text) => {
    expect(parseViNumber(text).ok).toBe(false);
  });

  it('formats with dots for thousands and a comma for decimals, and parses its own output back', () => {
    expect(formatViNumber(8558063)).toBe('8.558.063');
    expect(formatViNumber(1234.5)).toBe('1.234,5');
    expect(formatViNumber(null)).toBe('');
    for (const v of [0, 7, 1000, 1234567.25, 655300]) expect(parseViNumber(formatViNumber(v))).toEqual({ ok: true, value: v });
  });

  it('folds diacritics for search', () => {
    expect(foldDiacritics('LĐLĐ tỉnh Bắc Kạn')).toBe('ldld tinh bac kan');
    expect(foldDiacritics('Thừa Thiên Huế')).toBe('thua thien hue');
  });
});
