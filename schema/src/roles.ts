/**
 * Roles, each granted on a subtree of the hierarchy, and what each may do there. Data, so the
 * server's guards and the client's menus read the same table.
 */
export const OPERATIONS = [
  'read', // figures, approved ones only unless also readUnapproved
  'readUnapproved', // draft and submitted values, revisions
  'edit', // write values, propose corrections
  'submit',
  'approve', // approve, send back, accept/waive discrepancies
  'comment',
  'export',
  'report', // issue an edition of the consolidated report for the subtree
  'administer', // users, grants, tokens
] as const;
export type Operation = (typeof OPERATIONS)[number];

export const ROLES = [
  { role: 'admin', labelVi: 'Quản trị (Ban Tổ chức)', labelEn: 'Administrator (Organization Department)', operations: [...OPERATIONS] },
  { role: 'reviewer', labelVi: 'Người duyệt', labelEn: 'Reviewer', operations: ['read', 'readUnapproved', 'approve', 'comment', 'export', 'report'] },
  { role: 'reporter', labelVi: 'Người báo cáo', labelEn: 'Reporter', operations: ['read', 'readUnapproved', 'edit', 'submit', 'comment', 'export'] },
  { role: 'viewer', labelVi: 'Người xem (các Ban)', labelEn: 'Viewer (department)', operations: ['read', 'export'] },
] as const satisfies readonly { role: string; labelVi: string; labelEn: string; operations: readonly Operation[] }[];
export type Role = (typeof ROLES)[number]['role'];

export function roleOperations(role: string): readonly Operation[] {
  return ROLES.find((r) => r.role === role)?.operations ?? [];
}
