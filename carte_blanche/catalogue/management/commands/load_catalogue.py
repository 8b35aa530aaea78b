from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from carte_blanche.catalogue.loader import load_catalogue


class Command(BaseCommand):
    help = (
        "Charge ou met à jour le catalogue des démarches depuis DIR/procedures/*.toml "
        "(par défaut data/catalogue). Tout ou rien ; les modifications faites en ligne sont conservées "
        "tant que l'entrée du fichier ne change pas."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=None)

    def handle(self, *args, directory=None, verbosity=1, **options):
        folder = Path(directory) if directory else settings.CATALOGUE_DIR
        load_catalogue(folder, stdout=self.stdout if verbosity else None)
