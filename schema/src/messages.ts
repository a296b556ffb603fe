/**
 * What the server's refusals, skip reasons and import problems say, in Vietnamese and English, as data.
 * The server sends a stable key and its params (`extensions.key`, `extensions.params`; `code`/`params` on
 * skip reasons and import rejects) beside an English message; the client renders the key in the page's
 * language. Every error code of errors.ts has a template of its own, said when an error carries no key.
 *
 * Templates: `{name}` is a param — a number is formatted (vi-VN through formatViNumber, en-US otherwise)
 * unless its name is in RAW_PARAMS (years, versions, rows: never "2.014"); `{name|table}` says the param's
 * value through one of WORD_TABLES (a transition, a status…), in the same language.
 */
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { FORECAST_SKIP_REASONS } from './forecast.js';
import { formatViNumber } from './numbers.js';

export type MessageLang = 'vi' | 'en';
export type MessageParams = Record<string, string | number | boolean | null>;
type Template = Record<MessageLang, string>;

/** Params said as they are: a year or a row number is not a quantity. */
export const RAW_PARAMS: ReadonlySet<string> = new Set(['year', 'from', 'to', 'first', 'last', 'version', 'expected', 'row', 'cell', 'other', 'id', 'column', 'sheet']);

/** Words a param's value stands for, per language (`{name|table}`). */
export const WORD_TABLES: Record<string, Record<string, Template>> = {
  transition: {
    submit: { vi: 'gửi', en: 'submit' },
    approve: { vi: 'duyệt', en: 'approve' },
    sendBack: { vi: 'trả lại', en: 'send back' },
    reopen: { vi: 'mở lại', en: 'reopen' },
  },
  status: {
    draft: { vi: 'nháp', en: 'draft' },
    submitted: { vi: 'đã gửi', en: 'submitted' },
    approved: { vi: 'đã duyệt', en: 'approved' },
  },
  decision: {
    explain: { vi: 'giải trình', en: 'explain' },
    accept: { vi: 'chấp nhận', en: 'accept' },
    waive: { vi: 'bỏ qua', en: 'waive' },
  },
  discrepancyState: {
    open: { vi: 'chưa xử lý', en: 'open' },
    explained: { vi: 'đã giải trình', en: 'explained' },
    accepted: { vi: 'đã chấp nhận', en: 'accepted' },
    waived: { vi: 'đã bỏ qua', en: 'waived' },
    resolved: { vi: 'đã hết', en: 'resolved' },
  },
  forecastSkip: FORECAST_SKIP_REASONS,
  withProposal: { true: { vi: ' có đề xuất sửa', en: ' with a proposal' }, false: { vi: '', en: '' } },
  withoutValue: { true: { vi: ' chưa có số', en: ' without a value' }, false: { vi: '', en: '' } },
  field: {
    unit_code: { vi: 'mã đơn vị', en: 'unit code' },
    indicator_code: { vi: 'mã chỉ tiêu', en: 'indicator code' },
    year: { vi: 'năm', en: 'year' },
    scenario: { vi: 'loại số liệu', en: 'scenario' },
    value: { vi: 'giá trị', en: 'value' },
  },
};

/** One template per error code: what an error without a key of its own says. */
const BY_CODE: Record<ErrorCode, Template> = {
  VALIDATION: { vi: 'Dữ liệu không hợp lệ', en: 'Invalid input' },
  NOT_FOUND: { vi: 'Không tìm thấy', en: 'Not found' },
  CONFLICT: { vi: 'Số liệu đã thay đổi trong lúc đó', en: 'The data changed meanwhile' },
  LOCKED: { vi: 'Ô đã duyệt và bị khóa', en: 'The cell is approved and locked' },
  FORBIDDEN: { vi: 'Quyền của bạn không cho phép việc này', en: 'Your roles do not allow this' },
  FORBIDDEN_TRANSITION: { vi: 'Không thể chuyển trạng thái này', en: 'This change of status is not possible' },
  UNAUTHENTICATED: { vi: 'Hãy đăng nhập trước', en: 'Sign in first' },
  RATE_LIMITED: { vi: 'Quá nhiều yêu cầu; thử lại sau giây lát', en: 'Too many requests; try again in a moment' },
  BAD_REQUEST: { vi: 'Yêu cầu không hợp lệ', en: 'Bad request' },
  QUERY_TOO_DEEP: { vi: 'Truy vấn lồng quá sâu', en: 'The query is nested too deeply' },
  TOO_MANY_ALIASES: { vi: 'Truy vấn có quá nhiều bí danh', en: 'The query has too many aliases' },
  TOO_COMPLEX: { vi: 'Truy vấn quá lớn; hãy thu hẹp phạm vi', en: 'The query is too large; narrow it' },
  RESPONSE_TOO_LARGE: { vi: 'Kết quả quá lớn; hãy thu hẹp phạm vi', en: 'The answer is too large; narrow the request' },
  BATCH_TOO_LARGE: { vi: 'Quá nhiều yêu cầu trong một lần gửi', en: 'Too many operations in one batch' },
  INTERNAL: { vi: 'Lỗi máy chủ; hãy thử lại', en: 'Internal error; try again' },
  BAD_FILE: { vi: 'Tệp không đọc được: hỏng hoặc không phải tệp .xlsx', en: 'The file cannot be read: it is damaged or not an .xlsx file' },
  TOO_LARGE: { vi: 'Tệp hoặc yêu cầu quá lớn', en: 'The file or request is too large' },
  INCOMPLETE: { vi: 'Báo cáo chưa đủ để gửi', en: 'The report is not complete enough to submit' },
};

/** Templates with a key of their own: the refusals, skip reasons and import problems a user meets. */
const BY_KEY = {
  // Sign-in and access
  'auth.wrongCredentials': { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' },
  'auth.slowDown': { vi: 'Đăng nhập sai quá nhiều lần; thử lại sau {retryAfter} giây', en: 'Too many failed sign-ins; try again in {retryAfter} s' },
  'auth.busy': { vi: 'Quá nhiều lượt đăng nhập cùng lúc; thử lại sau giây lát', en: 'Too many sign-ins at once; try again in a moment' },
  'auth.signInFirst': { vi: 'Hãy đăng nhập trước', en: 'Sign in first' },
  'auth.forbidden': { vi: 'Quyền của bạn không cho phép việc này', en: 'Your roles do not allow this' },
  'rate.limited': { vi: 'Quá nhiều yêu cầu; thử lại sau {retryAfter} giây', en: 'Too many requests; retry in {retryAfter} s' },
  // Arguments checked before any work (server/src/hardening/input.ts)
  'input.tooLong': { vi: '{field}: tối đa {limit} ký tự', en: '{field}: at most {limit} characters' },
  'input.tooShort': { vi: '{field}: ít nhất {limit} ký tự', en: '{field}: at least {limit} characters' },
  'input.required': { vi: '{field}: cần có nội dung', en: '{field}: required' },
  'input.tooHigh': { vi: '{field}: tối đa {limit}', en: '{field}: at most {limit}' },
  'input.tooLow': { vi: '{field}: ít nhất {limit}', en: '{field}: at least {limit}' },
  'input.tooMany': { vi: '{field}: tối đa {limit} mục', en: '{field}: at most {limit} items' },
  'input.invalid': { vi: '{field}: không hợp lệ ({detail})', en: '{field}: {detail}' },
  // A cell written (typed, pasted, imported)
  'cell.prefix': { vi: 'Ô {unionCode} · {indicatorCode} · {year} · {scenario}: ', en: 'Cell {unionCode} · {indicatorCode} · {year} · {scenario}: ' },
  'cell.unknownIndicator': { vi: 'Không có chỉ tiêu "{indicator}"', en: 'Unknown indicator "{indicator}"' },
  'cell.yearOutside': { vi: 'Năm {year} nằm ngoài danh mục ({first}–{last})', en: 'Year {year} is outside the catalogue ({first}–{last})' },
  'cell.unknownScenario': { vi: 'Không có loại số liệu "{scenario}"', en: 'Unknown scenario "{scenario}"' },
  'cell.badVersion': { vi: 'Phiên bản của ô phải là số nguyên ≥ 0', en: 'expectedVersion must be a whole number ≥ 0' },
  'cell.computed': { vi: '"{indicator}" được tính từ các số khác, không nhập được', en: '"{indicator}" is computed from other figures and cannot be typed' },
  'cell.noTargets': { vi: '"{indicator}" không có chỉ tiêu kế hoạch', en: '"{indicator}" has no targets' },
  'cell.notFinite': { vi: 'Giá trị không phải là số', en: 'The value is not a finite number' },
  'cell.negative': { vi: 'Không được nhập số âm ({value})', en: 'A negative value ({value}) is not allowed' },
  'cell.overMax': { vi: '{value} vượt mức tối đa của "{indicator}" (tối đa {max})', en: '"{indicator}": {value} is over the maximum (at most {max})' },
  'cell.notWhole': { vi: '"{indicator}" phải là số nguyên: {value} không phải số nguyên', en: '"{indicator}" counts whole units: {value} is not a whole number' },
  'cell.duplicate': { vi: 'ô này trùng với ô thứ {other} của lần ghi', en: 'the same cell is also cell {other} of this batch' },
  'cell.unknownUnion': { vi: 'Không có đơn vị "{union}"', en: 'Unknown union "{union}"' },
  'cell.forbiddenEdit': { vi: 'quyền của bạn không cho phép sửa số của {unionName}', en: 'your roles do not allow editing {unionName}' },
  'cell.unionNotInYear': { vi: '{unionName} không tồn tại năm {year} (có từ {from} đến {to})', en: '{unionName} does not exist in {year} (valid {from}–{to})' },
  'cell.locked': { vi: 'ô đã duyệt và bị khóa', en: 'the cell is approved and locked' },
  'cell.changed': { vi: 'ô đã bị sửa trong lúc đó (phiên bản {version}, không phải {expected})', en: 'the cell changed meanwhile (version {version}, not {expected})' },
  'cell.changedMeanwhile': { vi: 'ô đã bị sửa trong lúc đó', en: 'the cell changed meanwhile' },
  'cell.createdMeanwhile': { vi: 'ô vừa được người khác tạo trong lúc đó', en: 'the cell was created meanwhile' },
  'batch.tooLarge': { vi: 'Mỗi lần ghi tối đa {limit} ô', en: 'At most {limit} cells per batch' },
  // Status changes, proposals, comments
  'transition.reasonRequired': { vi: 'Cần ghi lý do để {transition|transition}', en: 'A reason is required to {transition|transition}' },
  'transition.noCell': { vi: 'không có ô này', en: 'no such cell' },
  'transition.forbidden': { vi: 'quyền của bạn không cho phép {transition|transition} ở đây', en: 'your roles do not allow you to {transition|transition} here' },
  'transition.alreadyApproved': { vi: 'đã duyệt rồi', en: 'already approved' },
  'transition.cannot': {
    vi: 'không thể {transition|transition} ô {status|status}{withProposal|withProposal}{withoutValue|withoutValue}',
    en: 'cannot {transition|transition} a {status|status} cell{withProposal|withProposal}{withoutValue|withoutValue}',
  },
  'transition.blocked': { vi: 'còn sai lệch chưa xử lý', en: 'an open discrepancy blocks it' },
  'transition.fourEyes': { vi: 'do chính bạn nhập (bốn mắt: người khác phải duyệt)', en: 'written by you (four-eyes: another user must approve it)' },
  'proposal.notApproved': { vi: 'Chỉ ô đã duyệt mới nhận đề xuất sửa; ô này {status|status}: hãy sửa trực tiếp', en: 'Only an approved cell takes a proposal; this one is {status|status}: edit it instead' },
  'proposal.changed': { vi: 'Ô đã bị sửa trong lúc đó (phiên bản {version})', en: 'The cell changed meanwhile (version {version})' },
  'comment.empty': { vi: 'Ghi chú cần có nội dung', en: 'A comment needs text' },
  'comment.tooLong': { vi: 'Ghi chú tối đa {limit} ký tự', en: 'A comment has at most {limit} characters' },
  'comment.forbidden': { vi: 'Quyền của bạn không cho phép ghi chú ở đây', en: 'Your roles do not allow commenting here' },
  'edit.forbidden': { vi: 'Quyền của bạn không cho phép sửa ở đây', en: 'Your roles do not allow editing here' },
  'cell.notFound': { vi: 'Không có ô này', en: 'No such cell' },
  // Discrepancies
  'discrepancy.explanationRequired': { vi: 'Giải trình cần có nội dung', en: 'An explanation needs text' },
  'discrepancy.reasonRequired': { vi: 'Cần ghi lý do', en: 'A reason is required' },
  'discrepancy.forbidden': { vi: 'Quyền của bạn không cho phép {decision|decision} sai lệch ở đây', en: 'Your roles do not allow you to {decision|decision} discrepancies here' },
  'discrepancy.cannot': { vi: 'Không thể {decision|decision} một sai lệch {state|discrepancyState}', en: 'Cannot {decision|decision} a discrepancy that is {state|discrepancyState}' },
  'discrepancy.notFound': { vi: 'Không có sai lệch {id}', en: 'No discrepancy {id}' },
  // The plan 2018–2023 (issue 16)
  'plan.forbidden': { vi: 'Chỉ Ban Tổ chức TLĐ (quản trị hoặc người duyệt cấp TLĐ) phân bổ kế hoạch', en: 'Only the department (an administrator or reviewer at TLĐ) allocates the plan' },
  'plan.notAllocated': { vi: '"{indicator}" không phân bổ được: chỉ các chỉ tiêu có kế hoạch và cộng dồn theo cây', en: '"{indicator}" is not allocated: only targeted indicators that add up along the tree are' },
  'plan.unknownKey': { vi: 'Không có khóa phân bổ "{key}"', en: 'Unknown allocation key "{key}"' },
  'plan.unknownPath': { vi: 'Không có cách nội suy "{path}"', en: 'Unknown path "{path}"' },
  'plan.rootNotThroughPlan': { vi: '{unionName} không tồn tại suốt kỳ kế hoạch ({from}–{to})', en: '{unionName} does not exist through the whole plan ({from}–{to})' },
  'plan.previewNotFound': { vi: 'Không có bản xem trước phân bổ này: hãy xem trước lại', en: 'No allocation preview with this token: preview again' },
  'plan.previewApplied': { vi: 'Bản xem trước phân bổ này đã được áp dụng rồi', en: 'This allocation preview was applied already' },
  'plan.targetsChanged': { vi: '{count} ô chỉ tiêu đã thay đổi từ lúc xem trước; chưa ghi gì: hãy xem trước lại', en: '{count} target cell(s) changed since the preview; nothing was written: preview again' },
  'plan.targetChanged': { vi: '{union}, năm {year}: chỉ tiêu vừa thay đổi; chưa ghi gì: hãy xem trước lại', en: '{union}, {year}: the target changed meanwhile; nothing was written: preview again' },
  'plan.badYear': { vi: 'Các năm kế hoạch là {from}–{to}', en: 'The plan’s years are {from}–{to}' },
  'plan.readForbidden': { vi: 'Quyền của bạn không cho phép xem số liệu của {unionName}', en: 'Your roles do not allow reading figures of {unionName}' },
  'forecast.runForbidden': { vi: 'Chỉ Ban Tổ chức TLĐ (quản trị hoặc người duyệt cấp TLĐ) chạy dự báo', en: 'Only the department (an administrator or reviewer at TLĐ) runs the forecasts' },
  'forecast.notForecast': { vi: '"{indicator}" không được dự báo', en: '"{indicator}" is not forecast' },
  'forecast.overrideForbidden': { vi: 'Chỉ người duyệt của {unionName} hoặc cấp trên mới điều chỉnh dự báo', en: 'Only a reviewer of {unionName} or above overrides its forecasts' },
  'forecast.overrideReason': { vi: 'Điều chỉnh dự báo cần ghi lý do', en: 'An override needs a reason' },
  'plan.ratioGoalRange': { vi: 'Mục tiêu "{indicator}" là tỷ lệ từ 0 đến {max} {unit}: {value} nằm ngoài', en: 'A goal of "{indicator}" is a ratio from 0 to {max} {unit}: {value} is outside' },
  'plan.ratioNotForecast': { vi: '"{indicator}" là tỷ lệ trên "{denominator}", chỉ tiêu này không được dự báo nên không phân bổ được', en: '"{indicator}" is a ratio of "{denominator}", which is not forecast: it cannot be allocated' },
  'plan.noDenominatorForecast': { vi: '{unionName} không có dự báo "{indicator}" năm {year} ({reason|forecastSkip}): không tính được mục tiêu tỷ lệ', en: '{unionName} has no forecast of "{indicator}" for {year} ({reason|forecastSkip}): the ratio goal cannot be turned into a number' },
  'forecast.notRun': { vi: '{unionName} chưa có dự báo "{indicator}": hãy chạy dự báo trước', en: '{unionName} has no stored forecast of "{indicator}": run the forecasts first' },
  'forecast.readOnly': { vi: 'Số dự báo chỉ để xem: không dùng loại số liệu dự báo (FORECAST) ở {field}; dự báo do lệnh chạy dự báo tính ra và chỉ điều chỉnh bằng điều chỉnh dự báo', en: 'Forecasts are read-only: FORECAST cannot be used in {field}; forecasts are computed by runForecasts and changed only by overrideForecast' },
  // Report and exports
  'report.forbidden': { vi: 'Quyền của bạn không cho phép lập báo cáo cho {unionName}', en: 'Your roles do not allow issuing a report for {unionName}' },
  'report.forbiddenRead': { vi: 'Quyền của bạn không cho phép xem {unionName}', en: 'Your roles do not allow reading {unionName}' },
  'report.noUnits': { vi: '{unionName} không có đơn vị cấp dưới để báo cáo', en: '{unionName} has no units below it to report on' },
  'report.conflict': { vi: 'Một bản báo cáo khác vừa được phát hành; hãy lập lại', en: 'Another edition was issued meanwhile; generate again' },
  'report.notFound': { vi: 'Không có bản báo cáo {id} mà bạn được xem', en: 'No report edition {id} that you may read' },
  'union.unknown': { vi: 'Không có đơn vị "{union}"', en: 'Unknown union "{union}"' },
  'export.forbidden': { vi: 'Quyền của bạn không cho phép xuất số liệu của {union}', en: 'Your roles do not allow exporting figures of {union}' },
  'export.computed': { vi: '"{indicator}" được tính từ các số khác, không có ô đã duyệt riêng', en: '"{indicator}" is computed from other figures and has no approved cells of its own' },
  'export.tooMany': { vi: 'Phạm vi chọn có {approved} ô đã duyệt, nhiều hơn {cap}: hãy thu hẹp, hoặc tải tệp /exports/figures.csv', en: 'The selection has {approved} approved cells, more than {cap}: narrow it, or download it from /exports/figures.csv' },
  // Commendation proposals (issue 15)
  'commendation.notFound': { vi: 'Không có đề nghị khen thưởng {id} mà bạn được xem', en: 'No commendation proposal {id} that you may read' },
  'commendation.outsideRoot': { vi: '{unionName} không phải đơn vị thuộc {rootName}', en: '{unionName} is not a union below {rootName}' },
  'commendation.forbidden': { vi: 'Quyền của bạn không cho phép đề nghị khen thưởng cho {unionName}', en: 'Your roles do not allow proposing {unionName} for commendation' },
  'commendation.forbiddenDecide': { vi: 'Quyền của bạn không cho phép duyệt đề nghị khen thưởng của {unionName}', en: 'Your roles do not allow deciding proposals for {unionName}' },
  'commendation.ownProposal': { vi: 'Không ai tự duyệt đề nghị do mình lập', en: 'Nobody decides a proposal they made' },
  'commendation.nameRequired': { vi: 'Đề nghị khen thưởng cá nhân cần có họ và tên', en: "An individual proposal needs the person's name" },
  'commendation.noPerson': { vi: 'Đề nghị khen thưởng tập thể không ghi tên người', en: 'A collective proposal names no person' },
  'commendation.achievementRequired': { vi: 'Cần ghi thành tích được đề nghị khen thưởng', en: 'A proposal needs the achievement it is for' },
  'commendation.duplicate': { vi: 'Danh sách đã có đề nghị này', en: 'The same proposal is already in this list' },
  'commendation.reasonRequired': { vi: 'Không duyệt thì cần ghi lý do', en: 'A rejection needs a reason' },
  'commendation.decided': { vi: 'Đề nghị này đã được xử lý', en: 'The proposal was already decided' },
  // Imports
  'import.forbidden': { vi: 'Quyền của bạn không cho phép nhập số liệu ở đâu cả', en: 'Your roles do not allow importing figures anywhere' },
  'import.conflict': { vi: 'Số liệu hoặc tệp đã thay đổi từ lúc xem trước: hãy xem trước lại rồi mới ghi', en: 'The figures or the file changed since the preview: preview the file again before applying it' },
  'import.tooLarge': { vi: 'Tệp lớn hơn giới hạn {limit} byte', en: 'The file is larger than {limit} bytes' },
  'import.badFile': { vi: 'Không đọc được tệp ({detail}): tệp hỏng hoặc không phải .xlsx', en: 'The workbook cannot be read ({detail}): it is damaged or not an .xlsx file' },
  'import.emptyFile': { vi: 'Tệp trống', en: 'The file is empty' },
  'import.notXlsx': { vi: 'Đây không phải tệp Excel (.xlsx): hãy tải lên tệp xuất từ UnionHub', en: 'This is not an Excel workbook (.xlsx): upload the file exported from UnionHub' },
  'import.noSheets': { vi: 'Tệp không có trang tính nào: không phải tệp .xlsx xuất từ UnionHub', en: 'The file has no worksheets: it is not an .xlsx workbook exported from UnionHub' },
  'import.noHeader': { vi: 'Không trang nào có dòng tiêu đề của tệp xuất ở dòng 1 (ít nhất {columns}): tệp không theo mẫu xuất của UnionHub', en: "No sheet has the export's header in row 1 (at least {columns}): this file is not in the UnionHub export layout" },
  'import.at': { vi: 'Trang "{sheet}", dòng {row}, cột {column} ({field|field}): ', en: 'Sheet "{sheet}", row {row}, column {column} ({field|field}): ' },
  'import.emptyUnit': { vi: 'Mã đơn vị để trống', en: 'The unit code is empty' },
  'import.unknownUnit': { vi: 'Không có đơn vị "{union}"', en: 'Unknown unit "{union}"' },
  'import.forbiddenUnit': { vi: 'Quyền của bạn không cho phép sửa số của {unionName} ({union})', en: 'Your roles do not allow editing {unionName} ({union})' },
  'import.emptyIndicator': { vi: 'Mã chỉ tiêu để trống', en: 'The indicator code is empty' },
  'import.computed': { vi: '"{indicator}" được tính từ các số khác, không nhập được', en: '"{indicator}" is computed from other figures and cannot be imported' },
  'import.badYear': { vi: '"{input}" không phải năm trong danh mục ({first}–{last})', en: '"{input}" is not a year of the catalogue ({first}–{last})' },
  'import.badScenario': { vi: '"{input}" không phải loại số liệu (actual hoặc target)', en: '"{input}" is not a scenario (actual or target)' },
  'import.notANumber': { vi: '"{input}" không phải là số', en: '"{input}" is not a number' },
  'import.duplicate': { vi: 'Ô ({union}, {indicator}, {year}, {scenario}) trùng với dòng {other}', en: 'The same cell ({union}, {indicator}, {year}, {scenario}) is also on row {other}' },
  // The written report (issue 15)
  'section.unknown': { vi: 'Không có phần báo cáo "{section}"', en: 'No report section "{section}"' },
  'section.notWritten': { vi: '{unionName} không viết phần "{section}"', en: '{unionName} does not write the section "{section}"' },
  'section.notDocument': { vi: 'Nội dung không phải là văn bản của trình soạn thảo', en: "The content is not an editor document" },
  'section.tooLarge': { vi: 'Văn bản quá lớn ({bytes} byte; tối đa {limit})', en: 'The document is too large ({bytes} bytes; at most {limit})' },
  'section.tooDeep': { vi: 'Văn bản lồng quá {limit} cấp', en: 'The document nests deeper than {limit} levels' },
  'section.unknownNode': { vi: 'Văn bản có thành phần không được phép: "{node}"', en: 'The document has a node that is not allowed: "{node}"' },
  'section.misplacedNode': { vi: '"{node}" không được đặt trong "{parent}"', en: '"{node}" is not allowed inside "{parent}"' },
  'section.unknownMark': { vi: 'Văn bản có định dạng không được phép: "{mark}"', en: 'The document has a mark that is not allowed: "{mark}"' },
  'section.badAttr': { vi: 'Thuộc tính "{attr}" của "{node}" không hợp lệ', en: 'The attribute "{attr}" of "{node}" is not allowed or not valid' },
  'section.badHref': { vi: 'Liên kết "{href}" không được phép: chỉ http(s)://, mailto: hoặc liên kết trong ứng dụng "#/"', en: 'The link "{href}" is not allowed: only http(s)://, mailto: or an in-app "#/" link' },
  'section.badText': { vi: 'Đoạn chữ rỗng hoặc không phải chữ', en: 'A text node is empty or not text' },
  'section.conflict': { vi: 'Phần này vừa được lưu bản {version} trong lúc bạn sửa (bạn bắt đầu từ bản {expected}): hãy gộp hai bản', en: 'Version {version} of this section was saved while you edited (you started from {expected}): merge the two' },
  'section.approveConflict': { vi: 'Phần này đã có bản {version} mới hơn bản {expected} bạn đã đọc: hãy đọc lại rồi duyệt', en: 'This section has version {version}, newer than the {expected} you read: read it again before approving' },
  'section.forbiddenRead': { vi: 'Quyền của bạn không cho phép đọc báo cáo của {unionName}', en: "Your roles do not allow reading {unionName}'s report" },
  'section.forbiddenEdit': { vi: 'Quyền của bạn không cho phép viết báo cáo của {unionName}', en: "Your roles do not allow writing {unionName}'s report" },
  'section.forbiddenSubmit': { vi: 'Quyền của bạn không cho phép gửi báo cáo của {unionName}', en: "Your roles do not allow submitting {unionName}'s report" },
  'section.forbiddenReview': { vi: 'Chỉ người duyệt cấp trên mới duyệt hoặc trả lại báo cáo của {unionName}', en: "Only a reviewer above may approve or send back {unionName}'s report" },
  'section.fourEyes': { vi: 'Bạn đã viết bản này: người khác phải duyệt', en: 'You wrote this version: someone else must approve it' },
  'section.notSubmittable': { vi: 'Chỉ gửi được phần đã viết, chưa gửi (bản nháp hoặc bị trả lại)', en: 'Only a written section not yet submitted (a draft or returned) can be submitted' },
  'section.notSubmitted': { vi: 'Chỉ duyệt hoặc trả lại được phần đã gửi', en: 'Only a submitted section can be approved or sent back' },
  'section.reasonRequired': { vi: 'Cần ghi lý do trả lại', en: 'A reason is required to send it back' },
  'section.noVersion': { vi: 'Phần này không có bản {version}', en: 'This section has no version {version}' },
  'section.quoteNotFound': { vi: 'Đoạn trích không có trong bản {version}', en: 'The quote is not in version {version}' },
} satisfies Record<string, Template>;

export type MessageKey = keyof typeof BY_KEY;
export const MESSAGE_KEYS = Object.keys(BY_KEY) as MessageKey[];

export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.hasOwn(BY_KEY, key);
}

/** The template of a key, or of an error code; null for neither. */
export function templateOf(keyOrCode: string, lang: MessageLang): string | null {
  if (isMessageKey(keyOrCode)) return BY_KEY[keyOrCode][lang];
  if (Object.hasOwn(ERROR_CODES, keyOrCode)) return BY_CODE[keyOrCode as ErrorCode][lang];
  return null;
}

/** The params a template names (`{name}` and `{name|table}`), for the test that the server sends them. */
export function templateParams(template: string): string[] {
  return [...template.matchAll(/\{(\w+)(?:\|\w+)?\}/g)].map((m) => m[1]!);
}

function sayValue(name: string, value: MessageParams[string] | undefined, lang: MessageLang, table?: string): string {
  if (value === undefined || value === null) return '';
  if (table) return WORD_TABLES[table]?.[String(value)]?.[lang] ?? String(value);
  if (typeof value === 'number' && !RAW_PARAMS.has(name)) return lang === 'vi' ? formatViNumber(value, 6) : value.toLocaleString('en-US', { maximumFractionDigits: 6 });
  return String(value);
}

/** A key's or code's template with its params filled in; null when the catalogue has neither. */
export function renderMessage(keyOrCode: string, params: MessageParams, lang: MessageLang): string | null {
  const template = templateOf(keyOrCode, lang);
  if (template === null) return null;
  return template.replace(/\{(\w+)(?:\|(\w+))?\}/g, (_, name: string, table?: string) => sayValue(name, params[name], lang, table));
}
