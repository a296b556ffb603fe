/**
 * An answer's part already written as JSON (server/src/graphql/raw-json.ts): a grid worker writes
 * `Grid.table`, the HTTP answer carries those bytes in place. The answer must be the JSON the result
 * would have given, byte for byte, whatever the strings around the parts hold.
 */
import { describe, expect, it } from 'vitest';
import { RawJson, stringifyWithRaw } from '../server/src/graphql/raw-json.js';

const raw = (value: unknown, items = 1) => new RawJson(new TextEncoder().encode(JSON.stringify(value)), items);
const text = (answer: string | Buffer) => (typeof answer === 'string' ? answer : answer.toString('utf8'));

describe('an answer with parts written as JSON', () => {
  it('puts each part in its place, in order, among Vietnamese text on both sides', () => {
    const table = [{ name: 'Công đoàn Việt Nam', cells: { values: '1,2,' } }];
    const other = { note: 'Liên đoàn Lao động tỉnh "Hà Nội"' };
    const result = { data: { a: 'Tổng Liên đoàn', grid: { columns: [{ year: 2017 }], table: raw(table) }, b: 'Đà Nẵng', again: raw(other) } };
    const answer = stringifyWithRaw(result);
    expect(Buffer.isBuffer(answer)).toBe(true);
    expect(text(answer)).toBe(JSON.stringify({ data: { a: 'Tổng Liên đoàn', grid: { columns: [{ year: 2017 }], table }, b: 'Đà Nẵng', again: other } }));
  });

  it('leaves a string that looks like a part\'s mark as the string it is (the mark holds a secret)', () => {
    const lookalike = '\u0000raw-json:000000000000000000000000:0';
    const answer = stringifyWithRaw({ data: { name: lookalike, table: raw([1, 2]) } });
    expect(JSON.parse(text(answer))).toEqual({ data: { name: lookalike, table: [1, 2] } });
  });

  it('is the plain JSON text when there is no part', () => {
    const result = { data: { me: { username: 'admin', name: 'Quản trị' } }, errors: [{ message: 'x' }] };
    expect(stringifyWithRaw(result)).toBe(JSON.stringify(result));
  });

  it('is the parsed value to any other JSON.stringify (a test\'s executor, a subscription)', () => {
    expect(JSON.stringify({ table: raw([{ a: 'ă' }]) })).toBe('{"table":[{"a":"ă"}]}');
  });
});
