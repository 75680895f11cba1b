from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "shinsa.policy"
    label = "policy"
