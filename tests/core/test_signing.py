import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from motcua.core.backends import agency_signer
from motcua.core.signing import Pkcs12Signer
from motcua.core.signing_demo import DEMO_PASSWORD, create_demo_authority

from .signer_conformance import SIGNER_CN, SignerConformance

ORGANISATION = "Ủy ban nhân dân tỉnh An Hòa (DEMO)"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import weasyprint

    html = (
        "<h1>Giấy khai sinh</h1>"
        "<p>Họ, chữ đệm, tên: Nguyễn Thị Hương Giang. Ngày sinh: 02/09/2024. "
        "Nơi sinh: Bệnh viện Đa khoa tỉnh An Hòa.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()


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


def test_agency_signer_creates_the_demo_authority_under_data_dir(settings, tmp_path, pdf):
    settings.DATA_DIR = tmp_path
    settings.SIGNING_PKCS12 = ""
    signer = agency_signer()
    assert signer.pkcs12_path == tmp_path / "signing" / "demo-signer.p12"
    assert signer.pkcs12_path.exists() and (tmp_path / "signing" / "demo-ca.pem").exists()
    assert signer.verify(signer.sign(pdf, reason="r", location="l")).valid
    assert agency_signer().pkcs12_path.read_bytes() == signer.pkcs12_path.read_bytes()  # created once


def test_agency_signer_uses_the_configured_pkcs12(settings, tmp_path, authority):
    settings.DATA_DIR = tmp_path
    settings.SIGNING_PKCS12 = str(authority)
    settings.SIGNING_PASSWORD = DEMO_PASSWORD.decode()  # settings come from the environment, as text
    signer = agency_signer()
    assert signer.pkcs12_path == authority and signer.password == DEMO_PASSWORD
    assert not (tmp_path / "signing").exists()


def test_the_signer_is_chosen_by_settings_and_kept(settings, tmp_path, authority):
    settings.DATA_DIR, settings.SIGNING_PKCS12 = tmp_path, str(authority)
    settings.SIGNING_PASSWORD = DEMO_PASSWORD.decode()
    settings.SIGNER = "demo"  # the demo authority even though a PKCS#12 file is configured
    signer = agency_signer()
    assert signer.pkcs12_path == tmp_path / "signing" / "demo-signer.p12" and agency_signer() is signer
    settings.SIGNER = "pkcs12"
    assert agency_signer().pkcs12_path == authority


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("hsm", "MOTCUA_SIGNER='hsm' is not a signer: choose one of 'pkcs12', 'demo', 'auto'"),
        ("pkcs12", "MOTCUA_SIGNER='pkcs12' needs the file's path in MOTCUA_SIGNING_PKCS12"),
    ],
)
def test_a_wrong_signer_fails_at_start_up(settings, choice, message):
    settings.SIGNER, settings.SIGNING_PKCS12 = choice, ""
    with pytest.raises(ImproperlyConfigured) as error:
        apps.get_app_config("core").ready()
    assert str(error.value) == message
