"""The Celery application: workers and beat read their configuration from Django settings."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oe21.settings")

app = Celery("oe21")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
