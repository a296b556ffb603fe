/** Demo users, one per role — demo only: their passwords are public in the README. */
import type { Role } from '@unionhub/schema';
import { createUser, grantRole } from '../domain/auth.js';
import type { Db } from '../domain/db.js';

export const DEMO_USERS: { username: string; displayName: string; password: string; role: Role; unionCode: string; email: string }[] = [
  { username: 'admin', displayName: 'Ban Tổ chức TLĐ (quản trị)', password: 'admin-demo-2026', role: 'admin', unionCode: 'TLD', email: 'bantochuc@congdoan.example' },
  { username: 'reviewer.backan', displayName: 'Người duyệt — LĐLĐ Bắc Kạn', password: 'reviewer-demo-2026', role: 'reviewer', unionCode: 'P06', email: 'duyet.backan@congdoan.example' },
  { username: 'reporter.backan', displayName: 'Người báo cáo — LĐLĐ Bắc Kạn', password: 'reporter-demo-2026', role: 'reporter', unionCode: 'P06', email: 'baocao.backan@congdoan.example' },
  { username: 'viewer.taichinh', displayName: 'Ban Tài chính TLĐ', password: 'viewer-demo-2026', role: 'viewer', unionCode: 'TLD', email: 'bantaichinh@congdoan.example' },
];

export async function createDemoUsers(db: Db): Promise<string> {
  for (const u of DEMO_USERS) {
    await createUser(db, u);
    // Reminders go to this address (issue 14); `.example` addresses reach nobody outside a demo.
    await db('app_user').where('username', u.username).update({ email: u.email });
    await grantRole(db, u, 'seed');
  }
  return DEMO_USERS.map((u) => `  ${u.username.padEnd(16)} ${u.password.padEnd(20)} ${u.role} on ${u.unionCode}`).join('\n');
}
