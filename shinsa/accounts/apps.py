from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shinsa.accounts"
    label = "accounts"
