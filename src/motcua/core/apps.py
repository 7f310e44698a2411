from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"

    def ready(self):
        from . import backends

        backends.validate()  # a wrong MOTCUA_SIGNER or MOTCUA_NOTIFIER stops start-up here
