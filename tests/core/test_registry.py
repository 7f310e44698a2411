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
