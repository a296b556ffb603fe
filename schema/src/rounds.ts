/**
 * The reporting round (đợt báo cáo) as data: what a union's submission can be, what blocks it, when
 * reminders go out, what a deadline date means, and when a round's year is closed. The server and
 * the client read the same table.
 */
import { FIRST_YEAR, LAST_YEAR, type Scenario } from './periods.js';

/** Where a union stands in a round (at the server's clock). */
export const SUBMISSION_STATUSES = [
  /** Its first complete submission came at or before its deadline (or its extension). */
  { status: 'ON_TIME', labelVi: 'Đúng hạn', labelEn: 'On time' },
  /** … after it. */
  { status: 'LATE', labelVi: 'Muộn', labelEn: 'Late' },
  /** Nothing submitted yet. */
  { status: 'MISSING', labelVi: 'Chưa gửi', labelEn: 'Missing' },
  /** Sent back by a reviewer above and not re-submitted yet. */
  { status: 'RETURNED', labelVi: 'Bị trả lại', labelEn: 'Returned' },
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number]['status'];

/** What still keeps a union from submitting. */
export const BLOCKER_KINDS = [
  { kind: 'BLANK_CELL', labelVi: 'Ô còn trống', labelEn: 'Blank cell' },
  { kind: 'OPEN_DISCREPANCY', labelVi: 'Sai lệch chưa giải trình', labelEn: 'Unexplained discrepancy' },
  /** A required written-report section (issue 15) not submitted or approved, in a round that requires sections. */
  { kind: 'SECTION_MISSING', labelVi: 'Phần báo cáo chưa viết', labelEn: 'Section not written' },
] as const;
export type BlockerKind = (typeof BLOCKER_KINDS)[number]['kind'];

/** What the audit trail of a union's submission records (append-only). */
export const SUBMISSION_EVENT_KINDS = ['SUBMITTED', 'RETURNED', 'EXTENDED'] as const;
export type SubmissionEventKind = (typeof SUBMISSION_EVENT_KINDS)[number];

export interface ReminderStep {
  code: string;
  /** Days from the deadline's day: −7 is a week before, +1 the day after. */
  offsetDays: number;
  /** Repeated every so many days after the first time, while the union is still missing; null: once. */
  repeatEveryDays: number | null;
  labelVi: string;
  labelEn: string;
}

/**
 * What a round asks for, as an administrator creates it and as the seed writes it. Lists left out
 * default to the whole catalogue over the period (actuals and targets) and the default reminders.
 */
export interface RoundDefinition {
  name: string;
  periodFrom: number;
  periodTo: number;
  /** The tree year: expected unions are that year's. */
  year: number;
  /** A date, "2017-12-10": the end of that day in Asia/Ho_Chi_Minh. */
  deadline: string;
  levels: number[];
  indicators?: string[] | null;
  years?: number[] | null;
  scenarios?: Scenario[] | null;
  reminderSteps?: readonly ReminderStep[] | null;
  /** Count the required written-report sections in what each union must submit (default false). */
  sectionsRequired?: boolean | null;
}

/** A round's reminders unless it names its own: 7 days and 1 day before, the day after, then weekly while missing. */
export const DEFAULT_REMINDER_STEPS: readonly ReminderStep[] = [
  { code: 'before7', offsetDays: -7, repeatEveryDays: null, labelVi: 'Còn 7 ngày đến hạn nộp', labelEn: '7 days to the deadline' },
  { code: 'before1', offsetDays: -1, repeatEveryDays: null, labelVi: 'Còn 1 ngày đến hạn nộp', labelEn: '1 day to the deadline' },
  { code: 'after1', offsetDays: 1, repeatEveryDays: null, labelVi: 'Đã quá hạn nộp 1 ngày', labelEn: '1 day past the deadline' },
  { code: 'weekly', offsetDays: 8, repeatEveryDays: 7, labelVi: 'Nhắc hằng tuần: chưa nộp báo cáo', labelEn: 'Weekly: the report is still missing' },
];

/**
 * A deadline is a date, and means the end of that day where the department works: Asia/Ho_Chi_Minh,
 * UTC+07:00 all year (no daylight saving since 1975). 10/12/2017 → 2017-12-10T23:59:59.999+07:00.
 */
export const ROUND_TIME_ZONE = { name: 'Asia/Ho_Chi_Minh', offsetMinutes: 7 * 60 } as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2017-12-10" → the last millisecond of that day in Asia/Ho_Chi_Minh; null when it is not a real date. */
export function deadlineInstant(date: string): Date | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = Date.UTC(y, mo - 1, d);
  const check = new Date(start);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(start + 86_400_000 - ROUND_TIME_ZONE.offsetMinutes * 60_000 - 1);
}

/** The date ("2017-12-10") of an instant in Asia/Ho_Chi_Minh. */
export function roundDate(instant: Date): string {
  return new Date(instant.getTime() + ROUND_TIME_ZONE.offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The same date as Vietnamese write it ("10/12/2017"): reminders, the chase list. */
export function viDate(instant: Date): string {
  return roundDate(instant).split('-').reverse().join('/');
}

/**
 * Nothing in the code defined a "closed year", so it is defined here: a round's year is closed at the
 * end of the year after it (the national review sits in that year's first quarter and the Congress
 * report follows; after it the figures are history). No deadline or extension may fall after that
 * instant, and once the clock passes it the round takes no more extensions.
 */
export const YEAR_CLOSES_AFTER_YEARS = 1;

/** The instant the round's year `year` is closed (end of 31/12 of the year after, Asia/Ho_Chi_Minh). */
export function yearClosesAt(year: number): Date {
  return deadlineInstant(`${year + YEAR_CLOSES_AFTER_YEARS}-12-31`)!;
}

/** Levels that report in a round: 1 (to TLĐ) and 2 (to its level-1 union). */
export const ROUND_LEVELS = [1, 2] as const;

/** The years a round may ask figures for: the catalogue's. */
export const ROUND_YEARS = { from: FIRST_YEAR, to: LAST_YEAR } as const;

/** Whole days from `deadline` to `at`, rounded up (one millisecond late is one day late); ≤ 0 means not late. */
export function daysAfter(deadline: Date, at: Date): number {
  return Math.ceil((at.getTime() - deadline.getTime()) / 86_400_000);
}

/** The chase list's download (XLSX and CSV): its title and columns, in Vietnamese as the department files it. */
export const CHASE_FILE = {
  title: 'Danh sách đơn vị cần đôn đốc',
  filename: 'Danh sach don doc',
  round: 'Đợt báo cáo',
  scope: 'Phạm vi',
  at: 'Thời điểm',
  columns: ['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Tình trạng', 'Hạn nộp', 'Số ngày muộn', 'Gửi lần cuối', 'Người báo cáo', 'Thư điện tử'],
} as const;

/** A status's label in a language. */
export function submissionStatusLabel(status: SubmissionStatus, lang: 'vi' | 'en' = 'vi'): string {
  const s = SUBMISSION_STATUSES.find((x) => x.status === status)!;
  return lang === 'vi' ? s.labelVi : s.labelEn;
}

/** What an edition of the consolidated report says of the round on its cover (issue 14), in Vietnamese as the report is. */
export const ROUND_COVER = {
  heading: 'Tình hình gửi báo cáo',
  missingHeading: 'Đơn vị chưa gửi báo cáo',
  returnedNote: 'bị trả lại, chưa gửi lại',
};

/** "Đợt báo cáo «…» (tính đến 20:30 05/01/2018): 83 trên 87 đơn vị cấp tỉnh, ngành Trung ương đã gửi báo cáo, 79 đúng hạn." */
export function roundCoverSentence(c: { roundName: string; atText: string; levelLabel: string; expected: number; submitted: number; onTime: number }): string {
  return `Đợt báo cáo «${c.roundName}» (tính đến ${c.atText}): ${c.submitted} trên ${c.expected} đơn vị ${c.levelLabel.toLowerCase()} đã gửi báo cáo, ${c.onTime} đúng hạn.`;
}
