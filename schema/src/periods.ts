/** Years the catalogue knows, and the periods they belong to. */
export const FIRST_YEAR = 2013;
export const LAST_YEAR = 2023;
export const YEARS: readonly number[] = Array.from(
  { length: LAST_YEAR - FIRST_YEAR + 1 },
  (_, i) => FIRST_YEAR + i,
);

export interface Period {
  code: string;
  labelVi: string;
  labelEn: string;
  from: number;
  to: number;
  /** Day and month at which a reporting year is cut (dd/mm). */
  cutOff: string;
}

export const PERIODS: readonly Period[] = [
  {
    code: '2013-2017',
    labelVi: 'Chương trình phát triển đoàn viên 2013–2017',
    labelEn: 'Member development programme 2013–2017',
    from: 2013,
    to: 2017,
    cutOff: '30/11',
  },
  {
    code: '2018-2023',
    labelVi: 'Kế hoạch giai đoạn 2018–2023',
    labelEn: 'Plan period 2018–2023',
    from: 2018,
    to: 2023,
    cutOff: '15/12',
  },
];

export const SCENARIOS = ['actual', 'target'] as const;
export type Scenario = (typeof SCENARIOS)[number];
/** What a read may name: the stored scenarios and the forecasts (issue 16), which are read, never written. */
export const READ_SCENARIOS = [...SCENARIOS, 'forecast'] as const;
export type ReadScenario = (typeof READ_SCENARIOS)[number];

export const FIGURE_STATUSES = ['draft', 'submitted', 'approved'] as const;
export type FigureStatus = (typeof FIGURE_STATUSES)[number];
