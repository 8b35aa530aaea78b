import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("carte_blanche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_rights_engine(**_kwargs) -> None:
    """Each worker process builds OpenFisca once, before its first rights chunk or re-check."""
    from carte_blanche.rights.warmup import start_background_warm_up

    start_background_warm_up()
