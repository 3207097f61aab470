from django.apps import AppConfig
from django.db.models.signals import post_migrate


class Oe21Config(AppConfig):
    name = "oe21"
    verbose_name = "OE21 shared model"

    def ready(self):
        # Keep the role groups' permissions in step with every model the apps add.
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender, **kwargs):
    from .roles import sync_roles

    sync_roles()
