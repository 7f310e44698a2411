"""A small procedure in the shape the importer and the demo loader hand to `save_procedure`."""

import copy

BIRTH = {
    "code": "9.000001",
    "name": "Đăng ký khai sinh thử nghiệm",
    "summary": "Thủ tục mẫu cho kiểm thử.",
    "i18n": {
        "en": {"name": "Test birth registration", "summary": "A sample."},
        "ar": {"name": "تسجيل المواليد التجريبي", "summary": "عينة."},
    },
    "levels": ["commune"],
    "applicant_types": ["Công dân Việt Nam"],
    "competent_authority": "Ủy ban nhân dân cấp xã",
    "steps": [{"title": "Bước 1", "description": "Nộp hồ sơ."}],
    "channels": [
        {
            "channel": "counter",
            "time_value": 1,
            "time_unit": "working_days",
            "time_text": "1 Ngày làm việc",
            "fees": [{"kind": "charge", "amount": 8000, "currency": "VND", "description": "Lệ phí"}],
            "free": False,
        },
        {"channel": "online", "time_value": 1, "time_unit": "working_days", "fees": [], "free": True},
    ],
    "cases": [
        {
            "name": "",
            "documents": [
                {"name": "Tờ khai", "originals": 1, "copies": 0},
                {"name": "Giấy chứng sinh", "originals": 1, "copies": 1, "notes": "Bản chính"},
            ],
        }
    ],
    "legal_basis": [{"number": "60/2014/QH13", "title": "Luật Hộ tịch"}],
    "result": "Giấy khai sinh",
    "online_level": "full",
    "problems": [],
}


def procedure(**changes) -> dict:
    data = copy.deepcopy(BIRTH)
    data.update(changes)
    return data
