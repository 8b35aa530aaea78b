import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from carte_blanche.rights.warmup import start_background_warm_up  # noqa: E402

start_background_warm_up()
