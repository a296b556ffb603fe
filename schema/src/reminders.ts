/**
 * What a reminder says, by the round's step code (the steps themselves are the round's data).
 * Placeholders: {union} {round} {deadline} (a date, dd/mm/yyyy) {daysLeft} {daysLate}. Mails and
 * notifications go out in Vietnamese; the English is for the screens' preview and the tests' readers.
 */
export type ReminderLang = 'vi' | 'en';

export interface ReminderTemplate {
  subject: Record<ReminderLang, string>;
  body: Record<ReminderLang, string>;
}

export interface ReminderParams {
  union: string;
  round: string;
  deadline: string;
  daysLeft?: number | null;
  daysLate?: number | null;
}

const SIGNATURE = { vi: '\n\nBan Tổ chức – Tổng Liên đoàn Lao động Việt Nam', en: '\n\nOrganization Department – Vietnam General Confederation of Labour' };

const before = (lead: Record<ReminderLang, string>): ReminderTemplate => ({
  subject: { vi: 'Nhắc nộp báo cáo {round}: hạn ngày {deadline}', en: 'Reminder: {round} is due on {deadline}' },
  body: {
    vi: `Kính gửi {union},\n\n${lead.vi} Đợt báo cáo "{round}" có hạn nộp ngày {deadline}; đơn vị chưa gửi báo cáo. Đề nghị đơn vị hoàn thành số liệu và gửi báo cáo trên UnionHub trước thời hạn.${SIGNATURE.vi}`,
    en: `Dear {union},\n\n${lead.en} The round "{round}" is due on {deadline} and your union has not submitted yet. Please complete the figures and submit on UnionHub before the deadline.${SIGNATURE.en}`,
  },
});

const late = (lead: Record<ReminderLang, string>): ReminderTemplate => ({
  subject: { vi: 'Quá hạn nộp báo cáo {round} ({daysLate} ngày)', en: 'Overdue: {round} ({daysLate} days late)' },
  body: {
    vi: `Kính gửi {union},\n\n${lead.vi}Đợt báo cáo "{round}" đã hết hạn ngày {deadline}. Đến nay đơn vị chưa gửi báo cáo, chậm {daysLate} ngày. Đề nghị đơn vị khẩn trương hoàn thành và gửi báo cáo trên UnionHub.${SIGNATURE.vi}`,
    en: `Dear {union},\n\n${lead.en}The round "{round}" was due on {deadline}. Your union has not submitted yet, {daysLate} days late. Please complete and submit on UnionHub without delay.${SIGNATURE.en}`,
  },
});

/** By step code; `MANUAL` is a reviewer's reminder by hand and what an unknown step says. */
export const REMINDER_TEMPLATES: Record<string, ReminderTemplate> = {
  'D-7': before({ vi: 'Còn {daysLeft} ngày đến hạn.', en: '{daysLeft} days are left.' }),
  'D-1': before({ vi: 'Ngày mai là hạn cuối.', en: 'Tomorrow is the deadline.' }),
  'D+1': late({ vi: '', en: '' }),
  WEEKLY: late({ vi: 'Nhắc lại: ', en: 'Reminder again: ' }),
  MANUAL: {
    subject: { vi: 'Nhắc nộp báo cáo {round}', en: 'Reminder: {round}' },
    body: {
      vi: `Kính gửi {union},\n\nBan Tổ chức nhắc đơn vị hoàn thành và gửi báo cáo đợt "{round}" (hạn ngày {deadline}) trên UnionHub.${SIGNATURE.vi}`,
      en: `Dear {union},\n\nThe Organization Department reminds your union to complete and submit the round "{round}" (due on {deadline}) on UnionHub.${SIGNATURE.en}`,
    },
  },
};

/** A template's text with its placeholders filled (an unknown or missing one is left as written). */
export function fillReminder(text: string, params: ReminderParams): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = (params as unknown as Record<string, unknown>)[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

/** The subject and body of a step's reminder (MANUAL's for an unknown step). */
export function reminderText(step: string, params: ReminderParams, lang: ReminderLang = 'vi'): { subject: string; body: string } {
  const t = REMINDER_TEMPLATES[step] ?? REMINDER_TEMPLATES.MANUAL!;
  return { subject: fillReminder(t.subject[lang], params), body: fillReminder(t.body[lang], params) };
}
