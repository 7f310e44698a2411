from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "motcua.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge and search")

    def ready(self):
        from . import backends

        backends.validate()  # a wrong MOTCUA_KNOWLEDGE_INDEX, _EMBEDDER or _RERANKER stops start-up here

        from motcua.catalogue.tasks import AFTER_REINDEX

        from .ingest import follow_catalogue

        AFTER_REINDEX.append(follow_catalogue)
