from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "motcua.assistant"
    label = "assistant"
    verbose_name = _("Virtual assistant")

    def ready(self):
        from . import backends

        backends.validate()  # a wrong MOTCUA_LLM stops start-up here
