import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.catalogue.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.models import Channel

# A minimal but real PDF: the upload check reads the first bytes, never the file name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name="giay-chung-sinh.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def people(demo):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def birth(demo):
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def apply(people, birth):
    """Submit a birth registration dossier online as the demo citizen (or another user)."""

    def submit(by=None, files=None, **changes):
        by = by or people["congdan"]
        case = birth.cases.first()
        documents = list(case.documents.all())
        application = services.Application(
            procedure=birth,
            case=case,
            agency=people["tiepnhan"].agency,
            channel=Channel.COUNTER if by.is_official else Channel.ONLINE,
            applicant_name="Nguyễn Văn An",
            applicant_id_number="001203004567",
            applicant_email="an@example.invalid",
            files=files if files is not None else [(documents[0], pdf("to-khai.pdf")), (documents[1], pdf())],
            **changes,
        )
        return services.submit(application, by=by)

    return submit
