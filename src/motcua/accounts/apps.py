from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = _("Accounts and agencies")

    def ready(self):
        from .eid.backends import providers

        providers.validate()  # a wrong MOTCUA_EID_PROVIDER stops start-up, naming the choices
