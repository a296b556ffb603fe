/**
 * The grid's answer as the sheet holds it: the shown scenario's columns, and for % achieved the
 * targets aligned with them by indicator and year (not by place: the answer lists each scenario's
 * columns in its own order, and an indicator may have no target column).
 */
import { describe, expect, it } from 'vitest';
import { numbersText, unpackValues, unpackVersions } from '@unionhub/schema';
import { unpackAnswer, type Answer } from './answer.ts';

const row = (cells: Answer['table'][number]['cells']): Answer['table'][number] => ({ unionCode: 'P06', name: 'Bắc Kạn', level: 1, parentCode: 'TLD', hasChildren: true, validYears: [2013, 2014], childYears: [2013, 2014], readable: true, approvedOnly: false, cells });

describe('unpackAnswer', () => {
  it('% achieved: the actual columns, with each one’s target found by indicator and year', () => {
    const answer: Answer = {
      columns: [
        { indicatorCode: 'members', year: 2013, scenario: 'TARGET' },
        { indicatorCode: 'members', year: 2013, scenario: 'ACTUAL' },
        { indicatorCode: 'workers', year: 2013, scenario: 'ACTUAL' },
        { indicatorCode: 'members', year: 2014, scenario: 'ACTUAL' },
        { indicatorCode: 'members', year: 2014, scenario: 'TARGET' },
      ],
      table: [row({ values: '200,150,7,,0,', versions: '1,2,3,0,4,', statuses: 'asd a', proposals: '01001' })],
    };
    const { columns, rows } = unpackAnswer(answer, 'ACTUAL', true);
    expect(columns).toEqual([
      { indicatorCode: 'members', year: 2013 },
      { indicatorCode: 'workers', year: 2013 },
      { indicatorCode: 'members', year: 2014 },
    ]);
    expect(rows).toEqual([
      {
        unionCode: 'P06', name: 'Bắc Kạn', level: 1, parentCode: 'TLD', hasChildren: true, validYears: [2013, 2014], childYears: [2013, 2014], readable: true, approvedOnly: false, open: false,
        values: [150, 7, null],
        statuses: ['SUBMITTED', 'DRAFT', null],
        versions: [2, 3, 0],
        proposals: [true, false, false],
        targets: [200, null, 0],
      },
    ]);
  });

  it('one scenario: every column, no targets, a missing parent as null', () => {
    const answer: Answer = {
      columns: [
        { indicatorCode: 'members', year: 2013, scenario: 'TARGET' },
        { indicatorCode: 'workers', year: 2013, scenario: 'TARGET' },
      ],
      table: [{ ...row({ values: '5,,', versions: '3,0,', statuses: 'a ', proposals: '10' }), parentCode: null }],
    };
    const { columns, rows } = unpackAnswer(answer, 'TARGET', false);
    expect(columns).toEqual([{ indicatorCode: 'members', year: 2013 }, { indicatorCode: 'workers', year: 2013 }]);
    expect(rows[0]).toMatchObject({ parentCode: null, values: [5, null], versions: [3, 0], statuses: ['APPROVED', null], proposals: [true, false], targets: null });
  });
});

describe('GridCells numbers as text', () => {
  it('round-trip every double exactly, an empty value as null, and no cell as no item', () => {
    const values = [0, -0.5, 123456789.12345678, 1e-7, 8558063, null, 2 ** 53 - 1];
    const text = numbersText(values);
    expect(unpackValues({ values: text })).toEqual(values);
    expect(unpackValues({ values: numbersText([null]) })).toEqual([null]);
    expect(unpackValues({ values: numbersText([]) })).toEqual([]);
    expect(unpackVersions({ versions: numbersText(new Float64Array([3, 0, 12])) })).toEqual([3, 0, 12]);
  });
});
