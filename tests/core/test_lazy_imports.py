import subprocess
import sys


def test_importing_the_app_does_not_load_heavy_libraries():
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'motcua.settings'\n"
        "import django; django.setup()\n"
        "import motcua.urls, motcua.catalogue.views, motcua.api.views\n"
        "heavy = [m for m in ('weasyprint', 'torch', 'ctranslate2', 'pytesseract') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
