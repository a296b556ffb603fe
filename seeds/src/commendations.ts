/**
 * A few commendation proposals (issue 15), as the department would have them early in 2018: in
 * TLĐ's list two collectives and an individual approved, a sectoral union rejected with its reason,
 * an individual still waiting; in Bắc Kạn's own list a district federation approved. Written by the
 * team; names of people are invented, and TLĐ's list is decided by its leadership (lanhdao.tld, no user here).
 */
import type { CommendationRecord } from '@unionhub/schema';

export interface SeedCommendation extends CommendationRecord {
  unionCode: string;
}

export const SEED_COMMENDATIONS: readonly SeedCommendation[] = [
  {
    rootCode: 'TLD', kind: 'COLLECTIVE', unionCode: 'P06', personName: null, position: null,
    achievement: 'Hoàn thành vượt chỉ tiêu kết nạp đoàn viên và thành lập công đoàn cơ sở giai đoạn 2013–2017; 90% công đoàn cơ sở xếp loại vững mạnh.',
    status: 'APPROVED', reason: null, proposedBy: 'reporter.backan', proposedAt: '2018-01-08T09:15:00+07:00', decidedBy: 'lanhdao.tld', decidedAt: '2018-01-15T14:00:00+07:00',
  },
  {
    rootCode: 'TLD', kind: 'COLLECTIVE', unionCode: 'P74', personName: null, position: null,
    achievement: 'Thành lập mới công đoàn cơ sở tại các khu công nghiệp, phần lớn trong doanh nghiệp có vốn đầu tư nước ngoài.',
    status: 'APPROVED', reason: null, proposedBy: 'admin', proposedAt: '2018-01-09T10:30:00+07:00', decidedBy: 'lanhdao.tld', decidedAt: '2018-01-16T08:45:00+07:00',
  },
  {
    rootCode: 'TLD', kind: 'INDIVIDUAL', unionCode: 'P01-H01', personName: 'Nguyễn Thị Thu Hà', position: 'Chủ tịch Liên đoàn Lao động quận',
    achievement: 'Trực tiếp vận động thành lập 12 công đoàn cơ sở trong doanh nghiệp ngoài nhà nước, kết nạp hơn 3.000 đoàn viên mới.',
    status: 'APPROVED', reason: null, proposedBy: 'admin', proposedAt: '2018-01-10T15:00:00+07:00', decidedBy: 'lanhdao.tld', decidedAt: '2018-01-16T09:00:00+07:00',
  },
  {
    rootCode: 'TLD', kind: 'COLLECTIVE', unionCode: 'N02', personName: null, position: null,
    achievement: 'Duy trì tỷ lệ đoàn viên cao trong các cơ sở y tế công lập.',
    status: 'REJECTED', reason: 'Chưa đạt chỉ tiêu kết nạp đoàn viên mới giai đoạn 2013–2017; đề nghị bổ sung số liệu đã duyệt.',
    proposedBy: 'admin', proposedAt: '2018-01-11T08:00:00+07:00', decidedBy: 'lanhdao.tld', decidedAt: '2018-01-17T10:20:00+07:00',
  },
  {
    rootCode: 'TLD', kind: 'INDIVIDUAL', unionCode: 'P06-H01', personName: 'Hoàng Văn Dũng', position: 'Phó Chủ tịch Liên đoàn Lao động',
    achievement: 'Xây dựng mô hình tổ công đoàn ở hợp tác xã, kết nạp đoàn viên là lao động tự do.',
    status: 'PROPOSED', reason: null, proposedBy: 'reporter.backan', proposedAt: '2018-01-12T11:00:00+07:00', decidedBy: null, decidedAt: null,
  },
  {
    rootCode: 'P06', kind: 'COLLECTIVE', unionCode: 'P06-H01', personName: null, position: null,
    achievement: 'Dẫn đầu tỉnh về thành lập công đoàn cơ sở mới năm 2017.',
    status: 'APPROVED', reason: null, proposedBy: 'reporter.backan', proposedAt: '2017-12-20T09:00:00+07:00', decidedBy: 'reviewer.backan', decidedAt: '2017-12-22T16:00:00+07:00',
  },
];
