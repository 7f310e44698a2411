"""The Vietnamese labels printed on the official forms: form titles, statuses, channels, units, actions."""

from __future__ import annotations

from ..models import Status

LEGAL_BASIS = "Thông tư số 03/2025/TT-VPCP"

FORMS = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}
REGISTER_TITLE = "Sổ theo dõi hồ sơ"  # Form 07

TIMELINESS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}

# The national status names (domain notes, section 3.1), as printed on the register.
STATUS_LABELS = {
    Status.SUBMITTED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.NOT_ACCEPTED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT: "Yêu cầu bổ sung giấy tờ",
    Status.FINANCIAL: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.PROCESSED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}
RETURN_METHODS = {
    "counter": "Nhận trực tiếp tại Bộ phận Một cửa",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Nhận trực tuyến",
}
CHANNELS = {
    "counter": "Nộp trực tiếp",
    "online": "Nộp trực tuyến",
    "post": "Nộp qua dịch vụ bưu chính công ích",
}
TIME_UNITS = {
    "working_days": "ngày làm việc",
    "days": "ngày",
    "hours": "giờ làm việc",
    "months": "tháng",
    "years": "năm",
}
# Names for the events of dossiers.services when they carry no workflow step (a step's name wins).
ACTIONS = {
    "submit": "Nộp hồ sơ",
    "receive": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận",
    "request_supplement": "Yêu cầu bổ sung, hoàn thiện hồ sơ",
    "supplement": "Bổ sung hồ sơ",
    "forward": "Chuyển xử lý",
    "transfer": "Chuyển cơ quan giải quyết",
    "attach_result": "Cập nhật kết quả",
    "approve": "Phê duyệt",
    "send_back": "Trả lại bước trước",
    "return_result": "Trả kết quả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng giải quyết",
    "approve_apology": "Duyệt văn bản xin lỗi",
}
# Events that are no hand-over and stay off Form 06.
NOT_HANDOVERS = {"rate", "draft_apology"}
BLANK = "…………………………"
