"""What any Signer must do (core.signing.Signer). A test module subclasses `SignerConformance` and provides
the fixtures `pdf` (a PDF to sign), `signer` and `foreign_signer` (a working signer from an authority
that `signer` does not trust). Backends with a test module: Pkcs12Signer, with a PKCS#12 file of the
agency's or of the demo authority (tests/core/test_signing.py).
"""

import re
from io import BytesIO

import pytest

from motcua.core.signing import Verification

SIGNER_CN = "Bộ phận Một cửa - UBND tỉnh An Hòa (DEMO)"


def byte_range(signed: bytes) -> list[int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", signed)
    return [int(n) for n in match.groups()]


def flip(data: bytes, offset: int) -> bytes:
    tampered = bytearray(data)
    tampered[offset] ^= 0x01
    return bytes(tampered)


class SignerConformance:
    @pytest.fixture(autouse=True)
    def english(self):
        """The reasons are shown to people in their language; these tests read the English ones."""
        from django.utils import translation

        with translation.override("en"):
            yield

    def test_implements_the_protocol(self, signer):
        from motcua.core.signing import Signer

        assert isinstance(signer, Signer)

    @pytest.fixture
    def signed(self, signer, pdf) -> bytes:
        return signer.sign(pdf, reason="Cấp bản chính giấy khai sinh", location="UBND xã Hòa Bình")

    def test_signed_then_verified_is_valid(self, signer, signed):
        result = signer.verify(signed)
        assert isinstance(result, Verification)
        assert (result.signed, result.intact, result.trusted, result.valid) == (True, True, True, True)
        assert result.signer == SIGNER_CN
        assert result.signed_at is not None and result.signed_at.tzinfo is not None
        assert result.reason.startswith("valid signature by " + SIGNER_CN)

    def test_signed_file_is_a_larger_pdf_that_keeps_the_original_bytes(self, pdf, signed):
        assert signed.startswith(b"%PDF")
        assert len(signed) > len(pdf)
        assert signed.startswith(pdf)  # an incremental update: the original revision is untouched

    def test_flipped_byte_in_the_signed_range_is_detected(self, signer, signed):
        start, length, _, _ = byte_range(signed)
        result = signer.verify(flip(signed, start + length // 2))
        assert result.signed and not result.intact and not result.valid
        assert "altered" in result.reason

    def test_changed_page_content_stream_is_detected(self, signer, signed):
        from pyhanko.pdf_utils.reader import PdfFileReader

        # The page's content stream is Flate-compressed (no readable letters to change), so alter one
        # byte of its data: the file still parses, but the digest no longer matches.
        page = PdfFileReader(BytesIO(signed)).root["/Pages"]["/Kids"][0]
        contents = page.raw_get("/Contents").reference
        header = re.search(rb"(?<!\d)%d %d obj" % (contents.idnum, contents.generation), signed)
        data_start = signed.index(b"stream", header.end()) + len(b"stream\n")
        assert data_start < byte_range(signed)[1]
        result = signer.verify(flip(signed, data_start + 5))
        assert result.signed and not result.intact and not result.valid
        assert "altered" in result.reason

    def test_appended_garbage_is_not_intact(self, signer, signed):
        # pyHanko alone calls this valid: bytes after %%EOF that form no revision are ignored (coverage
        # ENTIRE_REVISION, modification level NONE), as viewers ignore them. But they are neither signed
        # nor an incremental update, so the signer must flag the file.
        result = signer.verify(signed + b"\n<script>alert(1)</script>\n")
        assert result.signed and not result.intact and not result.valid
        assert result.trusted  # the signature itself is still sound
        assert "appended" in result.reason
        assert signer.verify(signed + b"\r\n\n").valid  # trailing whitespace is harmless

    def test_unsigned_incremental_update_changing_the_page_is_detected(self, signer, signed):
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        # A legitimate-looking update that paints a box over the page. pyHanko's difference analysis
        # reports coverage ENTIRE_REVISION, modification level OTHER ("unexplained xrefs": the page
        # object was replaced), so docmdp_ok is False.
        writer = IncrementalPdfFileWriter(BytesIO(signed))
        box = writer.add_object(generic.StreamObject(stream_data=b"q 1 1 1 rg 50 700 300 60 re f Q"))
        writer.add_stream_to_page(0, box)
        out = BytesIO()
        writer.write(out)
        result = signer.verify(out.getvalue())
        assert result.signed and not result.intact and not result.valid
        assert result.reason == "the document was modified after signing"

    def test_a_second_signature_is_an_allowed_update(self, signer, signed):
        twice = signer.sign(signed, reason="Sao y", location="UBND xã Hòa Bình", field_name="Signature2")
        assert signer.verify(twice).valid

    def test_unsigned_pdf(self, signer, pdf):
        result = signer.verify(pdf)
        assert (result.signed, result.intact, result.trusted, result.valid) == (False, False, False, False)
        assert (result.signer, result.signed_at, result.reason) == ("", None, "no signature")

    @pytest.mark.parametrize(
        "garbage", [b"", b"hello world", b"%PDF-1.7\n\x00\xff garbage", bytes(range(256))]
    )
    def test_not_a_pdf_is_reported_not_raised(self, signer, garbage):
        result = signer.verify(garbage)
        assert not result.signed and not result.valid
        assert result.reason

    def test_signature_from_another_authority_is_intact_but_untrusted(self, signer, foreign_signer, pdf):
        result = signer.verify(foreign_signer.sign(pdf, reason="Giả mạo", location="Nơi khác"))
        assert result.signed and result.intact
        assert not result.trusted and not result.valid
        assert "not issued by a trusted authority" in result.reason
