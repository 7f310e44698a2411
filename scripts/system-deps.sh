#!/usr/bin/env bash
# Installs the Debian packages motcua needs, when missing. `run`: gettext, fonts and Pango (PDFs);
# Tesseract OCR; `test`: those plus Chromium for the browser tests. Prints what it does; asks for nothing.
set -euo pipefail
need=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# OCR for the dossier pre-check: Tesseract with Vietnamese, English and Arabic, and its orientation data.
for pkg in gettext fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
  tesseract-ocr tesseract-ocr-osd tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-ara; do
  have "$pkg" || need+=("$pkg")
done
if [ "${1:-run}" = test ]; then
  have chromium || need+=(chromium)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "motcua: installing Debian packages: ${need[*]}"
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "motcua: please install them (apt-get install ${need[*]}) and run again." >&2
  exit 1
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
