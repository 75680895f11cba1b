from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shinsa.audit"
    label = "audit"
