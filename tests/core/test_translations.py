import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src/motcua/locale"


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_every_interface_string_is_translated(language):
    if not shutil.which("msgattrib"):
        pytest.fail("GNU gettext is missing: `make test` installs it (Debian package gettext)")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)], capture_output=True, text=True, check=True
    ).stdout
    assert untranslated.count("msgid ") == 0, untranslated
    assert fuzzy.count("msgid ") == 0, fuzzy


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_catalogues_compile(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_vietnamese_is_the_default_interface(client, db):
    page = client.get("/").content.decode()
    assert 'lang="vi"' in page and "Tìm thủ tục" in page
