"""The demo signing authority: a self-signed CA and a signing certificate it issued, made once under
DATA_DIR/signing for the local demo and for pilots (MOTCUA_SIGNER=demo, or no MOTCUA_SIGNING_PKCS12).
A production server refuses it unless MOTCUA_ALLOW_DEMO_SIGNER is set."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from .signing import Pkcs12Signer

DEMO_PASSWORD = b"motcua-demo"


def create_demo_authority(
    folder: Path, *, organisation: str = "Ủy ban nhân dân tỉnh An Hòa (DEMO)", password: bytes = DEMO_PASSWORD
) -> Path:
    """Create (once) a self-signed demo CA and a signing certificate it issued: demo-signer.p12, demo-ca.pem."""
    folder = Path(folder)
    p12_path, pem_path = folder / "demo-signer.p12", folder / "demo-ca.pem"
    if p12_path.exists():
        return p12_path

    from datetime import UTC, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    def name(common_name: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )

    def usage(*, signer: bool) -> x509.KeyUsage:
        # content_commitment is X.509's nonRepudiation bit.
        flags = dict.fromkeys(
            ["key_encipherment", "data_encipherment", "key_agreement", "encipher_only", "decipher_only"],
            False,
        )
        return x509.KeyUsage(
            digital_signature=signer,
            content_commitment=signer,
            key_cert_sign=not signer,
            crl_sign=not signer,
            **flags,
        )

    now = datetime.now(UTC)
    ca_key, key = rsa.generate_private_key(65537, 2048), rsa.generate_private_key(65537, 2048)
    ca_name = name("Demo CA - UBND tỉnh An Hòa (DEMO)")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # tolerate small clock differences
        .not_valid_after(now + timedelta(days=10 * 365))  # outlives the signing certificate
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Bộ phận Một cửa - UBND tỉnh An Hòa (DEMO)"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(signer=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"motcua-demo-signer", key, cert, [ca_cert], serialization.BestAvailableEncryption(password)
    )

    folder.mkdir(parents=True, exist_ok=True)
    # Two workers may create the authority at the same moment: write to a private temporary file and
    # hard-link it into place, which fails if the other won; the loser then uses the winner's file.
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".p12")  # mode 0600: the file holds the private key
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(p12)
        os.link(tmp, p12_path)
    except FileExistsError:
        return p12_path
    finally:
        os.unlink(tmp)
    pem_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return p12_path


def demo_signer() -> Pkcs12Signer:
    """The demo authority's signer under settings.DATA_DIR; refused on a production server unless
    settings.ALLOW_DEMO_SIGNER."""
    from django.conf import settings

    if getattr(settings, "PRODUCTION", False) and not getattr(settings, "ALLOW_DEMO_SIGNER", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "MOTCUA_SIGNING_PKCS12 is not set: a production server does not sign results with the "
            "self-signed demo authority (set MOTCUA_ALLOW_DEMO_SIGNER=true for a pilot)"
        )
    return Pkcs12Signer(create_demo_authority(Path(settings.DATA_DIR) / "signing"), DEMO_PASSWORD)
