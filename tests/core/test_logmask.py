import logging

from motcua.core.logmask import MaskPersonalData, mask


def test_id_numbers_and_phones_are_masked():
    text = mask("CCCD 001203004567, ĐT 0912 345 678, email an.nguyen@example.vn")
    assert "001203004567" not in text and "001******567" in text
    assert "0912 345 678" not in text and "091****678" in text
    assert "an.nguyen@" not in text


def test_filter_masks_formatted_arguments(caplog):
    logger = logging.getLogger("motcua.test")
    logger.addFilter(MaskPersonalData())
    with caplog.at_level(logging.INFO, logger="motcua.test"):
        logger.info("lookup by %s", "079095001234")
    logger.filters.clear()
    assert "079095001234" not in caplog.text
    assert "079******234" in caplog.text
