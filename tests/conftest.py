from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CATALOGUE_FILE = SHARED_DATA / "procedures" / "dvc_procedures_6ministries.jsonl"


def shared_file(path: Path) -> Path:
    """A file of ../shared/data, or a clear skip where that folder is absent (a user's own clone)."""
    if not path.exists():
        pytest.skip(f"real data not found at {path} (../shared/data is only beside the project in CI)")
    return path


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    """One demo signing authority for the whole run (key generation is slow)."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(autouse=True)
def search_dir(settings, tmp_path, signing_dir):
    """Every test gets its own search index and uploaded files; the demo signing key is shared."""
    settings.SEARCH_DIR = tmp_path / "index"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = signing_dir
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    from motcua.core.registry import reset_all

    reset_all()  # backends (the knowledge index in the test's own folder...) are built afresh
    yield settings.SEARCH_DIR
    reset_all()


@pytest.fixture
def demo(db):
    """The bundled demo province, users and catalogue, indexed."""
    from motcua.accounts import demo as accounts_demo
    from motcua.catalogue import demo as catalogue_demo
    from motcua.catalogue import search

    accounts_demo.load()
    catalogue_demo.load()
    search.rebuild()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Demo users are created in many tests; the real hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language, whatever a request before it left active (an
    /en/ page activates English for the thread)."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def officials_pass_the_second_factor(monkeypatch):
    """`force_login` stands for a whole sign-in: for an official, the second factor too (a device is
    made if the user has none). The tests of the second factor sign in through its pages."""
    from django.test import Client

    signed_in = Client.force_login

    def force_login(self, user, backend=None):
        signed_in(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from motcua.accounts.second_factor import needs_second_factor

        if needs_second_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
