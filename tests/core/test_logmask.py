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


def test_tracebacks_and_console_mail_are_masked(capsys):
    import io
    import logging

    from django.core.mail import EmailMessage

    from motcua.core.logmask import MaskPersonalData
    from motcua.core.mail import MaskedConsoleBackend

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalData())
    logger = logging.getLogger("motcua.test.traceback")
    logger.addHandler(handler)
    try:
        raise ValueError("no dossier for ID 001203004567, phone 0912345678")
    except ValueError:
        logger.exception("look-up failed")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert "Traceback" in logged and "ValueError" in logged
    assert "001203004567" not in logged and "0912345678" not in logged and "001******567" in logged

    out = io.StringIO()
    backend = MaskedConsoleBackend(stream=out)
    backend.send_messages(
        [EmailMessage("Ho so", "CCCD 001203004567, tel 0912345678", to=["a@example.invalid"])]
    )
    assert "CCCD 001******567" in out.getvalue() and "0912345678" not in out.getvalue()
