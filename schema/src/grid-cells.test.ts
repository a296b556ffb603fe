/** The numbers' texts of GridCells: the byte writer the server uses writes what `numbersText` (JavaScript's own text) does. */
import { describe, expect, it } from 'vitest';
import { NUMBER_TEXT_MAX, numbersText, unpackValues, writeNumbersText } from './grid-cells.js';

const written = (numbers: (number | null)[], from = 0, to = numbers.length) => {
  const out = new Uint8Array(4 + (to - from) * NUMBER_TEXT_MAX);
  const end = writeNumbersText(out, 4, numbers, from, to);
  return new TextDecoder('latin1').decode(out.subarray(4, end));
};

describe('writeNumbersText', () => {
  it('writes whole numbers, fractions, signs, extremes and empties as JavaScript does', () => {
    const edge = [0, -0, 1, 9, 10, 99, 100, 12_345_678, -7, -1000, 1e15 - 1, 1e15, -(1e15 - 1), 2 ** 53, 1e21, 1e300, 0.1, -0.5, 1.5e-7, -2.2250738585072014e-308, Number.MAX_VALUE, Number.MIN_VALUE, 123.456, null, NaN, Infinity, -Infinity];
    expect(written(edge)).toBe(numbersText(edge));
  });

  it('agrees with numbersText on 20,000 random doubles, and the text reads back to the same numbers', () => {
    let seed = 17;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const numbers = Array.from({ length: 20_000 }, (_, i) => {
      const r = random();
      if (i % 10 === 0) return null;
      if (i % 3 === 0) return Math.floor(r * 10 ** (1 + (i % 16))) * (i % 7 === 0 ? -1 : 1) + 0; // + 0: no -0, which text cannot keep
      return (r - 0.5) * 10 ** ((i % 40) - 20);
    });
    const text = written(numbers);
    expect(text).toBe(numbersText(numbers));
    expect(unpackValues({ values: text })).toEqual(numbers);
  });

  it('writes only the asked part, from where it is told, and says where it ended', () => {
    const out = new Uint8Array(64).fill(33);
    const end = writeNumbersText(out, 3, [1, 22, null, 333], 1, 3);
    expect(end).toBe(3 + '22,,'.length);
    expect(new TextDecoder('latin1').decode(out.subarray(0, end + 1))).toBe('!!!22,,!');
  });
});
