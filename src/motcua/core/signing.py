"""Electronic signatures on result documents (PAdES baseline B-B), and their verification.

The agency signs the PDFs it issues with a PKCS#12 key; anyone can check them on the public /verify page.
Everything works offline: no timestamp authority, no OCSP/CRL fetching. The demo authority (a
self-signed CA made on first use) is in `signing_demo.py`; the signer in use is chosen by settings
(`core.backends.signers`). pyHanko and cryptography are heavy,
so they are imported inside the functions, never when motcua is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.utils.translation import gettext as _


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


@runtime_checkable
class Signer(Protocol):
    """Signs result PDFs and verifies them; every backend passes tests/core/signer_conformance.py."""

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
            return Verification(
                False, False, False, "", None, _("not a readable PDF (%(error)s)") % {"error": exc}
            )
        if not signatures:
            return Verification(False, False, False, "", None, _("no signature"))
        # Every signature must hold; report the first that fails, else the latest one.
        results = [self._verify_one(sig) for sig in signatures]
        result = next((r for r in results if not r.valid), results[-1])
        if result.intact and _trailing_junk(reader, pdf):
            # pyHanko ignores bytes after the last %%EOF that form no revision (viewers ignore them too),
            # but they are neither signed nor an incremental update, so the file is not the one issued.
            return replace(result, intact=False, reason=_("unsigned data was appended after the document"))
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
            return Verification(
                True, False, False, name, None, _("the signature cannot be read (%(error)s)") % {"error": exc}
            )

        signed_at = status.signer_reported_dt
        intact = bool(status.intact and status.valid and status.docmdp_ok)
        trusted = bool(status.trusted)
        if not (status.intact and status.valid):
            reason = _("the signed content was altered: the signature does not match the document")
        elif status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            reason = _("the signature does not cover the whole document")
        elif not status.docmdp_ok:
            reason = _("the document was modified after signing")
        elif not trusted:
            reason = _("signature by %(name)s is intact, but not issued by a trusted authority") % {
                "name": name
            }
        else:
            reason = _("valid signature by %(name)s") % {"name": name}
            if signed_at:
                reason += _(", signed at %(time)s") % {"time": signed_at.isoformat(timespec="seconds")}
            if status.modification_level not in (None, ModificationLevel.NONE):
                reason += _(" (later additions are limited to signatures and form fields)")
        return Verification(True, intact, trusted, name, signed_at, reason)


def _trailing_junk(reader, pdf: bytes) -> bool:
    """Whether anything but whitespace follows the %%EOF of the file's last revision."""
    xrefs = reader.xrefs
    end = xrefs.get_xref_container_info(xrefs.total_revisions - 1).end_location
    eof = pdf.find(b"%%EOF", end)
    return eof < 0 or bool(pdf[eof + len(b"%%EOF") :].strip())


def pkcs12_signer() -> Pkcs12Signer:
    """The signer of the PKCS#12 file settings.SIGNING_PKCS12 names (password SIGNING_PASSWORD)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    path = getattr(settings, "SIGNING_PKCS12", "")
    if not path:
        raise ImproperlyConfigured("MOTCUA_SIGNER='pkcs12' needs the file's path in MOTCUA_SIGNING_PKCS12")
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
