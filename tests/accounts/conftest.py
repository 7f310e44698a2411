import pytest

from .fake_oidc import ec_key, rsa_key

ID_NUMBER = "001204012345"
CITIZEN = {
    "sub": "vneid-7f3a9c",
    "id_number": ID_NUMBER,
    "name": "Trần Thị Bình",
    "email": "binh@example.vn",
    "phone_number": "0912345678",
}


@pytest.fixture(scope="session")
def keys():
    """Signing keys of the fake provider (made once: RSA key generation is slow)."""
    return {"rsa": rsa_key(), "other": rsa_key(), "ec": ec_key()}
