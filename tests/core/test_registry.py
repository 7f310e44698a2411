import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.core.registry import Registry


@pytest.fixture
def shapes(settings):
    registry = Registry("shape", "TEST_SHAPE")
    built = []

    @registry.register("square")
    def square():
        built.append("square")
        return {"corners": 4}

    registry.register("circle")(lambda: {"corners": 0})
    return registry, built


def test_the_chosen_backend_is_built_once_and_kept(shapes, settings):
    registry, built = shapes
    settings.TEST_SHAPE = "square"
    assert registry.get() is registry.get()
    assert built == ["square"]
    settings.TEST_SHAPE = "circle"
    assert registry.get() == {"corners": 0}
    registry.reset()
    settings.TEST_SHAPE = "square"
    registry.get()
    assert built == ["square", "square"]


def test_an_unknown_name_names_the_setting_and_its_choices(shapes, settings):
    registry, _ = shapes
    settings.TEST_SHAPE = "triangle"
    with pytest.raises(ImproperlyConfigured) as error:
        registry.validate()
    assert str(error.value) == "MOTCUA_TEST_SHAPE='triangle' is not a shape: choose one of 'square', 'circle'"
    with pytest.raises(ImproperlyConfigured):
        registry.get()


def test_a_name_is_registered_once(shapes):
    registry, _ = shapes
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register("square")(lambda: None)


def test_other_values_go_to_the_fallback_factory(settings):
    registry = Registry("model", "TEST_MODEL", other=lambda path: ("dir", path), other_help="a directory")
    registry.register("bundled")(lambda: ("bundled",))
    settings.TEST_MODEL = "/models/e5"
    registry.validate()
    assert registry.get() == ("dir", "/models/e5")


def test_aliases_and_case_reach_the_same_backend_but_are_not_choices(settings):
    registry = Registry("switch", "TEST_SWITCH")
    registry.register("none", aliases=("off", ""))(lambda: None)
    registry.register("on")(lambda: "on")
    assert registry.choices() == ["none", "on"]
    for written in ("off", "", "NONE", "On"):
        settings.TEST_SWITCH = written
        registry.validate()
    assert registry.get() == "on"
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register("off")(lambda: None)


def test_other_values_are_checked_at_validation(settings):
    registry = Registry(
        "model",
        "TEST_MODEL",
        other=lambda path: path,
        other_help="a directory",
        other_accepts=lambda v: v == "/ok",
    )
    registry.register("bundled")(lambda: "bundled")
    settings.TEST_MODEL = "/ok"
    registry.validate()
    settings.TEST_MODEL = "/missing"
    with pytest.raises(ImproperlyConfigured) as error:
        registry.validate()
    assert (
        str(error.value)
        == "MOTCUA_TEST_MODEL='/missing' is not a model: choose one of 'bundled', or a directory"
    )


def test_a_change_to_a_setting_it_depends_on_resets_the_registry(settings):
    registry = Registry("store", "TEST_STORE", depends=("TEST_STORE_DIR",))
    settings.TEST_STORE, settings.TEST_STORE_DIR = "files", "/a"
    registry.register("files")(lambda: {"dir": settings.TEST_STORE_DIR})
    assert registry.get() == {"dir": "/a"}
    settings.TEST_STORE_DIR = "/b"
    assert registry.get() == {"dir": "/b"}
    kept = registry.get()
    settings.UNRELATED_SETTING = 1
    assert registry.get() is kept
