import re
from io import BytesIO

import pytest

from motcua.core.signing import (
    DEMO_PASSWORD,
    Pkcs12Signer,
    Verification,
    create_demo_authority,
    default_signer,
)

ORGANISATION = "Ủy ban nhân dân tỉnh An Hòa (DEMO)"
SIGNER_CN = "Bộ phận Một cửa - UBND tỉnh An Hòa (DEMO)"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint

    html = (
        "<h1>Giấy khai sinh</h1>"
        "<p>Họ, chữ đệm, tên: Nguyễn Thị Hương Giang. Ngày sinh: 02/09/2024. "
        "Nơi sinh: Bệnh viện Đa khoa tỉnh An Hòa.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def byte_range(signed: bytes) -> list[int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", signed)
    return [int(n) for n in match.groups()]


def flip(data: bytes, offset: int) -> bytes:
    tampered = bytearray(data)
    tampered[offset] ^= 0x01
    return bytes(tampered)


class SignerConformance:
    """What any Signer must do. A subclass provides the fixtures `signer` and `foreign_signer`
    (a working signer from an authority that `signer` does not trust)."""

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


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    return create_demo_authority(tmp_path_factory.mktemp("authority"))


@pytest.fixture(scope="module")
def foreign_authority(tmp_path_factory):
    return create_demo_authority(
        tmp_path_factory.mktemp("foreign"), organisation="Tổ chức không tin cậy (DEMO)"
    )


class TestPkcs12Signer(SignerConformance):
    @pytest.fixture
    def signer(self, authority):
        return Pkcs12Signer(authority, DEMO_PASSWORD)

    @pytest.fixture
    def foreign_signer(self, foreign_authority):
        return Pkcs12Signer(foreign_authority, DEMO_PASSWORD)


def load_p12(path):
    from cryptography.hazmat.primitives.serialization import pkcs12

    return pkcs12.load_key_and_certificates(path.read_bytes(), DEMO_PASSWORD)


def test_demo_authority_certificates(authority):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    _, cert, (ca,) = load_p12(authority)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == SIGNER_CN
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORGANISATION
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "VN"
    assert cert.issuer == ca.subject == ca.issuer
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment  # content_commitment = nonRepudiation
    assert 5 * 365 - 1 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 5 * 366
    pem = x509.load_pem_x509_certificate((authority.parent / "demo-ca.pem").read_bytes())
    assert pem == ca


def test_create_demo_authority_is_idempotent(tmp_path):
    first = create_demo_authority(tmp_path)
    content = first.read_bytes()
    second = create_demo_authority(tmp_path)
    assert second == first == tmp_path / "demo-signer.p12"
    assert second.read_bytes() == content
    assert load_p12(second)[1] == load_p12(first)[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-ca.pem", "demo-signer.p12"]


def test_explicit_trust_roots_replace_the_bundled_chain(authority, foreign_authority, pdf):
    signed = Pkcs12Signer(authority, DEMO_PASSWORD).sign(pdf, reason="r", location="l")
    own_ca = authority.parent / "demo-ca.pem"
    foreign_ca = foreign_authority.parent / "demo-ca.pem"
    assert Pkcs12Signer(authority, DEMO_PASSWORD, trust_roots=[own_ca]).verify(signed).valid
    untrusted = Pkcs12Signer(authority, DEMO_PASSWORD, trust_roots=[foreign_ca]).verify(signed)
    assert untrusted.intact and not untrusted.trusted


def test_wrong_password_is_a_clear_error(authority, pdf):
    with pytest.raises(ValueError, match="wrong password"):
        Pkcs12Signer(authority, b"not the password").sign(pdf, reason="r", location="l")


def test_default_signer_creates_the_demo_authority_under_data_dir(settings, tmp_path, pdf):
    settings.DATA_DIR = tmp_path
    settings.SIGNING_PKCS12 = ""
    signer = default_signer()
    assert signer.pkcs12_path == tmp_path / "signing" / "demo-signer.p12"
    assert signer.pkcs12_path.exists() and (tmp_path / "signing" / "demo-ca.pem").exists()
    assert signer.verify(signer.sign(pdf, reason="r", location="l")).valid
    assert default_signer().pkcs12_path.read_bytes() == signer.pkcs12_path.read_bytes()  # created once


def test_default_signer_uses_the_configured_pkcs12(settings, tmp_path, authority):
    settings.DATA_DIR = tmp_path
    settings.SIGNING_PKCS12 = str(authority)
    settings.SIGNING_PASSWORD = DEMO_PASSWORD.decode()  # settings come from the environment, as text
    signer = default_signer()
    assert signer.pkcs12_path == authority and signer.password == DEMO_PASSWORD
    assert not (tmp_path / "signing").exists()
