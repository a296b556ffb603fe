/**
 * Commendation proposals (khen thưởng, issue 15) as data: what may be proposed, where a proposal
 * stands, who may propose and decide, the bounds of what a person types, and the words of the annex
 * and its workbook. The server and the client read the same table.
 */

/** A collective (a union) or an individual (a person in a union). */
export const COMMENDATION_KINDS = [
  { kind: 'COLLECTIVE', labelVi: 'Tập thể', labelEn: 'Collective' },
  { kind: 'INDIVIDUAL', labelVi: 'Cá nhân', labelEn: 'Individual' },
] as const;
export type CommendationKind = (typeof COMMENDATION_KINDS)[number]['kind'];

/** A proposal is decided once: approved, or rejected with a reason. */
export const COMMENDATION_STATUSES = [
  { status: 'PROPOSED', labelVi: 'Chờ duyệt', labelEn: 'Proposed' },
  { status: 'APPROVED', labelVi: 'Đã duyệt', labelEn: 'Approved' },
  { status: 'REJECTED', labelVi: 'Không duyệt', labelEn: 'Rejected' },
] as const;
export type CommendationStatus = (typeof COMMENDATION_STATUSES)[number]['status'];

/** A proposal's own fields, as stored and as seeded (its union is a code in the seed, a row in the domain). */
export interface CommendationRecord {
  rootCode: string;
  kind: CommendationKind;
  personName: string | null;
  position: string | null;
  achievement: string;
  status: CommendationStatus;
  reason: string | null;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export function commendationKindLabel(kind: CommendationKind, lang: 'vi' | 'en' = 'vi'): string {
  const k = COMMENDATION_KINDS.find((x) => x.kind === kind)!;
  return lang === 'vi' ? k.labelVi : k.labelEn;
}
export function commendationStatusLabel(status: CommendationStatus, lang: 'vi' | 'en' = 'vi'): string {
  const s = COMMENDATION_STATUSES.find((x) => x.status === status)!;
  return lang === 'vi' ? s.labelVi : s.labelEn;
}

/**
 * Who may do what (operations of roles.ts): propose — any of these on the union proposed (a reporter
 * or a reviewer of the union or above); decide — `decide` on a union strictly above it and on the
 * list's root (the list is the root's), never on one's own proposal.
 */
export const COMMENDATION_RULES = {
  proposeOperations: ['submit', 'approve'],
  decideOperation: 'approve',
} as const;

/** Bounds of what a person types (characters), and the most proposals one list answers. */
export const COMMENDATION_LIMITS = { personName: 200, position: 300, achievement: 4_000, reason: 2_000, listed: 500 } as const;

/** The annex of an edition's Word document and the approved list's workbook (Vietnamese, as the report). */
export const COMMENDATION_ANNEX = {
  title: 'Phụ lục: Danh sách đề nghị khen thưởng',
  intro: 'Các đề nghị khen thưởng đã được duyệt; xếp hạng và % thực hiện theo bảng xếp hạng thi đua của báo cáo này.',
  none: 'Chưa có đề nghị khen thưởng nào được duyệt.',
  sheet: 'Đề nghị khen thưởng',
  filename: 'Danh sach de nghi khen thuong',
  fileTitle: 'Danh sách đề nghị khen thưởng',
  scope: 'Phạm vi',
  at: 'Thời điểm',
  columns: ['STT', 'Hình thức', 'Đơn vị', 'Họ và tên', 'Chức vụ', 'Thành tích', 'Xếp hạng thi đua', '% thực hiện', 'Người đề nghị', 'Người duyệt', 'Ngày duyệt'],
} as const;
