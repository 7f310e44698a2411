from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "motcua.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge and search")

    def ready(self):
        from motcua.catalogue.tasks import AFTER_REINDEX

        from .ingest import follow_catalogue

        AFTER_REINDEX.append(follow_catalogue)
