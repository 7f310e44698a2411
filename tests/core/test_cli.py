import subprocess
import sys

import pytest

from motcua.cli import _command_name


def test_spoken_names_map_to_commands():
    known = {"catalogue_import", "migrate"}
    assert _command_name(["catalogue", "import", "x.jsonl"], known) == ["catalogue_import", "x.jsonl"]
    assert _command_name(["migrate", "--noinput"], known) == ["migrate", "--noinput"]
    assert _command_name(["catalogue"], known) == ["catalogue"]


def test_motcua_command_runs_a_wrapped_command():
    result = subprocess.run([sys.executable, "-m", "motcua.cli", "config"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "MOTCUA_DATA_DIR" in result.stdout


def test_unknown_import_file_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "catalogue", "import", str(tmp_path / "none.jsonl")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "no such file" in result.stderr


@pytest.mark.django_db
def test_run_prints_the_demo_accounts_only_while_they_are_open(settings):
    from motcua.accounts import demo as accounts_demo
    from motcua.accounts.models import User
    from motcua.core import demo

    assert demo.started_lines() == []  # no demo data loaded
    accounts_demo.load()
    lines = demo.started_lines()
    assert accounts_demo.DEMO_PASSWORD in lines[0] and any("congdan" in line for line in lines)
    settings.PRODUCTION = True
    assert demo.started_lines() == []
    settings.PRODUCTION = False
    user = User.objects.get(username=accounts_demo.USERS[0][0])
    user.set_password("a-real-password-now")
    user.save()
    assert demo.started_lines() == []
