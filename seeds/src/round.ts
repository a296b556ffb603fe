/**
 * The 2017 reporting round with a realistic history, as data (the server's loader writes it):
 * the programme's five-year review, due 10/12/2017. Of the 87 level-1 unions 79 sent on time,
 * 4 late (one by weeks), 4 are missing; one was returned and re-submitted, one got an extension.
 * Level-2 unions follow a deterministic hash of their code: most on time, some late, a few missing;
 * Hà Nội set its districts an earlier deadline (05/12/2017) and returned one district's report.
 */
import { DEFAULT_REMINDER_STEPS, INDICATORS, isStored, type ReminderStep, type RoundDefinition, type Scenario } from '@unionhub/schema';
import { hashString } from './random.js';
import type { SeedHierarchy } from './hierarchy.js';

export interface SeedRound extends RoundDefinition {
  indicators: string[];
  years: number[];
  scenarios: Scenario[];
  reminderSteps: readonly ReminderStep[];
  createdBy: string;
  createdAt: string;
}

export interface SeedRoundEvent {
  unionCode: string;
  kind: 'SUBMITTED' | 'RETURNED' | 'EXTENDED';
  at: string;
  by: string;
  reason: string | null;
}

export interface SeedRoundHistory {
  round: SeedRound;
  /** Level-1 unions' own deadlines for their children (a date). */
  parts: { unionCode: string; deadline: string; setBy: string; setAt: string }[];
  extensions: { unionCode: string; deadline: string; reason: string; grantedBy: string; grantedAt: string }[];
  events: SeedRoundEvent[];
  /** Reporters of a few level-1 unions the round chases (contacts only: they have no known password). */
  reporters: { username: string; displayName: string; email: string; unionCode: string }[];
}

export const ROUND_2017: SeedRound = {
  name: 'Sơ kết 5 năm Chương trình phát triển đoàn viên 2013–2017',
  periodFrom: 2013,
  periodTo: 2017,
  year: 2017,
  deadline: '2017-12-10',
  levels: [1, 2],
  indicators: INDICATORS.filter(isStored).map((d) => d.code),
  // The review's figures 2013–2017 and the plan's targets to 2023 (actuals are expected only up to the round's year).
  years: [2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023],
  scenarios: ['actual', 'target'],
  reminderSteps: DEFAULT_REMINDER_STEPS,
  createdBy: 'admin',
  createdAt: '2017-10-02T09:00:00+07:00',
};

/** The level-1 unions whose story is told by hand; every other level-1 union sent on time. */
const LEVEL1 = {
  missing: ['N11', 'P06', 'P58', 'T04'],
  late: { N06: '2017-12-12T10:15:00+07:00', P02: '2017-12-13T15:40:00+07:00', P38: '2017-12-11T08:05:00+07:00', P80: '2017-12-29T16:30:00+07:00' } as Record<string, string>,
  returnedThenResubmitted: 'N16',
  extended: 'P33',
};

const SEED_BY = 'seed';
const REVIEWER = 'admin';

/** A working-hours instant on a day `day` days before (negative: after) the date, from a hash. */
function instant(date: string, daysBefore: number, h: number): string {
  const d = new Date(`${date}T00:00:00+07:00`);
  d.setUTCDate(d.getUTCDate() - daysBefore);
  const minutes = 8 * 60 + (h % (9 * 60));
  const day = new Date(d.getTime() + minutes * 60_000);
  return day.toISOString();
}

export function buildRoundHistory(hierarchy: SeedHierarchy): SeedRoundHistory {
  const expected = hierarchy.unions
    .filter((u) => ROUND_2017.levels.includes(u.level) && u.validFrom <= ROUND_2017.year && (u.validTo === null || u.validTo >= ROUND_2017.year))
    .sort((a, b) => a.code.localeCompare(b.code));
  const parts = [{ unionCode: 'P01', deadline: '2017-12-05', setBy: REVIEWER, setAt: '2017-10-10T09:00:00+07:00' }];
  const partOf = new Map(parts.map((p) => [p.unionCode, p.deadline]));
  const extensions = [{ unionCode: LEVEL1.extended, deadline: '2017-12-20', reason: 'Tỉnh tổ chức hội nghị sơ kết muộn do ảnh hưởng của bão số 12', grantedBy: REVIEWER, grantedAt: '2017-12-08T14:00:00+07:00' }];
  const events: SeedRoundEvent[] = [];
  const submit = (code: string, at: string) => events.push({ unionCode: code, kind: 'SUBMITTED', at, by: SEED_BY, reason: null });
  for (const u of expected) {
    const h = hashString(`round-2017:${u.code}`);
    if (u.level === 1) {
      if (LEVEL1.missing.includes(u.code)) continue;
      if (LEVEL1.late[u.code]) submit(u.code, new Date(LEVEL1.late[u.code]!).toISOString());
      else if (u.code === LEVEL1.returnedThenResubmitted) {
        submit(u.code, new Date('2017-12-06T10:00:00+07:00').toISOString());
        events.push({ unionCode: u.code, kind: 'RETURNED', at: new Date('2017-12-07T15:30:00+07:00').toISOString(), by: REVIEWER, reason: 'Số đoàn viên kết nạp mới năm 2016 chưa khớp tổng các đơn vị trực thuộc; đề nghị rà soát và gửi lại' });
        submit(u.code, new Date('2017-12-09T09:20:00+07:00').toISOString());
      } else if (u.code === LEVEL1.extended) {
        const x = extensions[0]!;
        events.push({ unionCode: u.code, kind: 'EXTENDED', at: new Date(x.grantedAt).toISOString(), by: x.grantedBy, reason: x.reason });
        submit(u.code, new Date('2017-12-18T11:00:00+07:00').toISOString());
      } else submit(u.code, instant(ROUND_2017.deadline, 1 + (h % 14), h >>> 8));
      continue;
    }
    // Level 2: answers to its level-1 union's own deadline where one was set.
    const deadline = partOf.get(u.parentCode ?? '') ?? ROUND_2017.deadline;
    const roll = h % 100;
    if (u.code === 'P01-H02') {
      submit(u.code, instant(deadline, 3, h >>> 8));
      events.push({ unionCode: u.code, kind: 'RETURNED', at: new Date('2017-12-04T16:00:00+07:00').toISOString(), by: REVIEWER, reason: 'Thiếu số liệu xếp loại CĐCS năm 2017' });
    } else if (roll < 3) continue; // missing
    else if (roll < 11) submit(u.code, instant(deadline, -(1 + ((h >>> 8) % 6)), h >>> 12)); // 1–6 days late
    else submit(u.code, instant(deadline, (h >>> 8) % 12, h >>> 12));
  }
  events.sort((a, b) => a.at.localeCompare(b.at) || a.unionCode.localeCompare(b.unionCode));
  const byCode = new Map(hierarchy.unions.map((u) => [u.code, u]));
  const reporters = ['N11', 'P58', 'T04', 'P80'].map((code) => ({
    username: `reporter.${code.toLowerCase()}`,
    displayName: `Người báo cáo — ${byCode.get(code)!.name}`,
    email: `baocao.${code.toLowerCase()}@congdoan.example`,
    unionCode: code,
  }));
  return { round: ROUND_2017, parts, extensions, events, reporters };
}
