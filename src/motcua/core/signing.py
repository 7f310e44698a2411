"""Electronic signatures on result documents (PAdES baseline B-B), and their verification.

The agency signs the PDFs it issues with a PKCS#12 key; anyone can check them on the public /verify page.
Everything works offline: no timestamp authority, no OCSP/CRL fetching. pyHanko and cryptography are heavy,
so they are imported inside the functions, never when motcua is imported.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Protocol

DEMO_PASSWORD = b"motcua-demo"


@dataclass(frozen=True)
class Verification:
    signed: bool  # the PDF carries at least one signature
    intact: bool  # signed bytes unmodified, and nothing but allowed incremental updates follows
    trusted: bool  # chains to the configured trust root (the agency CA)
    signer: str  # subject common name of the signing certificate ("" if unsigned)
    signed_at: datetime | None  # the time the signer claims (B-B has no timestamp to prove it)
    reason: str  # human-readable summary, in English

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


class Signer(Protocol):
    def sign(self, pdf: bytes, *, reason: str, location: str, field_name: str = "Signature1") -> bytes: ...

    def verify(self, pdf: bytes) -> Verification: ...


class Pkcs12Signer:
    """Signs with the key in a PKCS#12 file; trusts the given CA certificates (default: the file's own chain)."""

    def __init__(self, pkcs12_path: Path, password: bytes | None, trust_roots: list[Path] | None = None):
        self.pkcs12_path = Path(pkcs12_path)
        self.password = password
        self.trust_roots = None if trust_roots is None else [Path(p) for p in trust_roots]
        self._signer = None  # pyHanko SimpleSigner, loaded on first use

    def _load(self):
        if self._signer is None:
            from pyhanko.sign import signers

            signer = signers.SimpleSigner.load_pkcs12(str(self.pkcs12_path), passphrase=self.password)
            if signer is None:  # load_pkcs12 logs the error and returns None instead of raising
                raise ValueError(f"cannot load the signing key from {self.pkcs12_path} (wrong password?)")
            self._signer = signer
        return self._signer

    def _roots(self) -> list:
        if self.trust_roots is not None:  # [] trusts nothing
            from pyhanko.keys import load_certs_from_pemder

            return list(load_certs_from_pemder([str(p) for p in self.trust_roots]))
        signer = self._load()
        # The CA certificates bundled in the PKCS#12; a lone self-signed certificate trusts itself.
        chain = [c for c in signer.cert_registry if c.dump() != signer.signing_cert.dump()]
        return chain or [signer.signing_cert]

    def sign(self, pdf: bytes, *, reason: str, location: str, field_name: str = "Signature1") -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,  # ETSI.CAdES.detached, i.e. PAdES
        )
        writer = IncrementalPdfFileWriter(BytesIO(pdf))  # the original bytes stay as the signed revision
        return _outside_event_loop(signers.sign_pdf, writer, meta, signer=self._load()).getvalue()

    def verify(self, pdf: bytes) -> Verification:
        from pyhanko.pdf_utils.reader import PdfFileReader

        try:
            reader = PdfFileReader(BytesIO(pdf))
            signatures = reader.embedded_signatures
        except Exception as exc:  # pyHanko raises several kinds of errors on bytes that are not a PDF
            return Verification(False, False, False, "", None, f"not a readable PDF ({exc})")
        if not signatures:
            return Verification(False, False, False, "", None, "no signature")
        # Every signature must hold; report the first that fails, else the latest one.
        results = [self._verify_one(sig) for sig in signatures]
        result = next((r for r in results if not r.valid), results[-1])
        if result.intact and _trailing_junk(reader, pdf):
            # pyHanko ignores bytes after the last %%EOF that form no revision (viewers ignore them too),
            # but they are neither signed nor an incremental update, so the file is not the one issued.
            return replace(result, intact=False, reason="unsigned data was appended after the document")
        return result

    def _verify_one(self, embedded) -> Verification:
        from pyhanko.sign.diff_analysis import ModificationLevel
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext

        # Offline on purpose: nothing fetched, and missing revocation data is not an error
        # (a soft-fail only rejects a certificate that some CRL/OCSP at hand says is revoked).
        context = ValidationContext(
            trust_roots=self._roots(), allow_fetching=False, revocation_mode="soft-fail"
        )
        try:
            cert = embedded.signer_cert
            name = cert.subject.native.get("common_name", "") or cert.subject.human_friendly
        except Exception:
            name = ""
        try:
            status = _outside_event_loop(validate_pdf_signature, embedded, signer_validation_context=context)
        except Exception as exc:  # a malformed signature dictionary or CMS blob
            return Verification(True, False, False, name, None, f"the signature cannot be read ({exc})")

        signed_at = status.signer_reported_dt
        intact = bool(status.intact and status.valid and status.docmdp_ok)
        trusted = bool(status.trusted)
        if not (status.intact and status.valid):
            reason = "the signed content was altered: the signature does not match the document"
        elif status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            reason = "the signature does not cover the whole document"
        elif not status.docmdp_ok:
            reason = "the document was modified after signing"
        elif not trusted:
            reason = f"signature by {name} is intact, but not issued by a trusted authority"
        else:
            reason = f"valid signature by {name}"
            if signed_at:
                reason += f", signed at {signed_at.isoformat(timespec='seconds')}"
            if status.modification_level not in (None, ModificationLevel.NONE):
                reason += " (later additions are limited to signatures and form fields)"
        return Verification(True, intact, trusted, name, signed_at, reason)


def _trailing_junk(reader, pdf: bytes) -> bool:
    """Whether anything but whitespace follows the %%EOF of the file's last revision."""
    xrefs = reader.xrefs
    end = xrefs.get_xref_container_info(xrefs.total_revisions - 1).end_location
    eof = pdf.find(b"%%EOF", end)
    return eof < 0 or bool(pdf[eof + len(b"%%EOF") :].strip())


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


def default_signer() -> Pkcs12Signer:
    """The agency signer from settings (SIGNING_PKCS12, SIGNING_PASSWORD), or the demo authority under DATA_DIR."""
    from django.conf import settings

    path = getattr(settings, "SIGNING_PKCS12", "")
    if (
        not path
        and getattr(settings, "PRODUCTION", False)
        and not getattr(settings, "ALLOW_DEMO_SIGNER", False)
    ):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "MOTCUA_SIGNING_PKCS12 is not set: a production server does not sign results with the "
            "self-signed demo authority (set MOTCUA_ALLOW_DEMO_SIGNER=true for a pilot)"
        )
    if not path:
        return Pkcs12Signer(create_demo_authority(Path(settings.DATA_DIR) / "signing"), DEMO_PASSWORD)
    password = getattr(settings, "SIGNING_PASSWORD", "")
    if isinstance(password, str):
        password = password.encode()
    return Pkcs12Signer(Path(path), password or None)


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous calls start their own asyncio loop, which fails where a loop is already
    running in this thread (an async view, a browser-test driver): run them in a worker thread then."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
