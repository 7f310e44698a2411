from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrecheckConfig(AppConfig):
    name = "motcua.precheck"
    label = "precheck"
    verbose_name = _("Dossier pre-check")

    def ready(self):
        from . import backends

        backends.validate()  # a wrong MOTCUA_OCR stops start-up here

        from motcua.dossiers import hooks

        from .tasks import schedule

        hooks.on_files_received(schedule)
