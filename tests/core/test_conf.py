import pytest
from django.core.management import call_command

from motcua import conf


def test_values_are_parsed_by_type():
    assert conf._BY_NAME["MOTCUA_DEBUG"].read({"MOTCUA_DEBUG": "yes"}) is True
    assert conf._BY_NAME["MOTCUA_DEBUG"].read({}) is False
    assert conf._BY_NAME["MOTCUA_PORT"].read({"MOTCUA_PORT": "9000"}) == 9000
    assert conf._BY_NAME["MOTCUA_ALLOWED_HOSTS"].read({"MOTCUA_ALLOWED_HOSTS": "a.vn, b.vn,"}) == [
        "a.vn",
        "b.vn",
    ]


def test_bad_value_names_the_setting():
    with pytest.raises(ValueError, match="MOTCUA_DEBUG"):
        conf._BY_NAME["MOTCUA_DEBUG"].read({"MOTCUA_DEBUG": "maybe"})


def test_secrets_are_masked():
    rows = {row[0]: row[1] for row in conf.describe({"DATABASE_URL": "postgres://u:hunter2@db/x"})}
    assert "hunter2" not in rows["DATABASE_URL"]
    assert rows["DATABASE_URL"].startswith("****")
    assert rows["MOTCUA_PORT"] == "8000 [default]"


def test_every_setting_has_help_and_a_default_of_its_type():
    for setting in conf.REGISTRY:
        assert setting.help.strip(), setting.name
        assert isinstance(setting.default, setting.type), setting.name


def test_config_command_prints_every_setting(capsys):
    call_command("config")
    out = capsys.readouterr().out
    for setting in conf.REGISTRY:
        assert setting.name in out
