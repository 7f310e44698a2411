import pytest

from motcua.accounts.models import User
from motcua.catalogue.models import Procedure

_VECTORS: dict[str, bytes] = {}  # passage vectors computed once per test run (the database is rolled back)


def index_knowledge() -> None:
    """The catalogue in the knowledge base too, embedded with the bundled model (vectors are
    computed once per test run and restored, since each test's database starts empty)."""
    from motcua.knowledge import ingest
    from motcua.knowledge import services as knowledge
    from motcua.knowledge.models import EmbeddingCache

    EmbeddingCache.objects.bulk_create(
        [EmbeddingCache(key=k, vector=v) for k, v in _VECTORS.items()], ignore_conflicts=True
    )
    ingest.sync_procedures()
    knowledge.index_pending()
    _VECTORS.update((k, bytes(v)) for k, v in EmbeddingCache.objects.values_list("key", "vector"))


@pytest.fixture
def indexed(demo):
    index_knowledge()


@pytest.fixture
def people(demo):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def make_dossier(people):
    """A birth-registration dossier submitted online by `by` (the demo citizen by default)."""
    from motcua.dossiers import services
    from motcua.dossiers.models import Channel
    from tests.dossiers.conftest import pdf

    def make(by=None, id_number="001203004567"):
        by = by or people["congdan"]
        birth = Procedure.objects.get(code="1.001193")
        case = birth.cases.first()
        documents = list(case.documents.all())
        application = services.Application(
            procedure=birth,
            case=case,
            agency=people["tiepnhan"].agency,
            channel=Channel.ONLINE,
            applicant_name="Nguyễn Văn An",
            applicant_id_number=id_number,
            applicant_email="an@example.invalid",
            files=[(documents[0], pdf("to-khai.pdf")), (documents[1], pdf())],
        )
        return services.submit(application, by=by)

    return make
