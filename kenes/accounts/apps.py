from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kenes.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from kenes.accounts.widgets import account_widget
        from kenes.core import dashboard

        dashboard.register(dashboard.Widget("account", "accounts/widgets/account.html", account_widget, order=10))
