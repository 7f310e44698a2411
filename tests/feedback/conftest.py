from tests.dossiers.conftest import apply, birth, people  # noqa: F401  (dossier fixtures)
