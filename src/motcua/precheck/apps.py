from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrecheckConfig(AppConfig):
    name = "motcua.precheck"
    label = "precheck"
    verbose_name = _("Dossier pre-check")
