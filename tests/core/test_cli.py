import subprocess
import sys

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
