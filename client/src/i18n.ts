/** Interface words in Vietnamese (default) and English. Domain labels come from the catalogue. */
export type Lang = 'vi' | 'en';

const WORDS = {
  title: { vi: 'Phát triển đoàn viên', en: 'Member development' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  unit: { vi: 'Đơn vị', en: 'Union' },
  actual: { vi: 'Thực hiện', en: 'Actual' },
  target: { vi: 'Chỉ tiêu', en: 'Target' },
  achieved: { vi: '% thực hiện', en: '% achieved' },
  years: { vi: 'Năm', en: 'Years' },
  loading: { vi: 'Đang tải…', en: 'Loading…' },
  saved: { vi: 'Đã lưu', en: 'Saved' },
  refused: { vi: 'Không lưu được', en: 'Not saved' },
  expandAll: { vi: 'Mở tất cả', en: 'Expand all' },
  collapseAll: { vi: 'Thu gọn', en: 'Collapse all' },
  cells: { vi: 'ô', en: 'cells' },
  cellPanel: { vi: 'Chi tiết ô', en: 'Cell details' },
  proposal: { vi: 'Đề xuất sửa', en: 'Proposed' },
  submit: { vi: 'Gửi', en: 'Submit' },
  approve: { vi: 'Duyệt', en: 'Approve' },
  sendBack: { vi: 'Trả lại', en: 'Send back' },
  discrepancies: { vi: 'Sai lệch', en: 'Discrepancies' },
  history: { vi: 'Lịch sử', en: 'History' },
  comment: { vi: 'Ghi chú', en: 'Comment' },
  commentOrReason: { vi: 'Ghi chú hoặc lý do', en: 'Comment or reason' },
  submitSelection: { vi: 'Gửi vùng chọn', en: 'Submit selection' },
  approveSelection: { vi: 'Duyệt vùng chọn', en: 'Approve selection' },
  approved: { vi: 'Đã duyệt', en: 'Approved' },
  submitted: { vi: 'Đã gửi', en: 'Submitted' },
  nothingWritten: { vi: 'không ô nào được ghi', en: 'nothing was written' },
  outsideSheet: { vi: 'ngoài bảng', en: 'outside the sheet' },
  notEditable: { vi: 'ô không sửa được', en: 'not editable' },
} satisfies Record<string, Record<Lang, string>>;

export type Word = keyof typeof WORDS;
export const t = (word: Word, lang: Lang): string => WORDS[word][lang];
