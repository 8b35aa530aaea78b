from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from carte_blanche.territory.loader import load_territory


class Command(BaseCommand):
    help = (
        "Charge les données de référence d'un territoire depuis un dossier : communes.csv (obligatoire, "
        "communes et EPCI), puis, s'ils sont présents, communes.geojson (contours), operators.csv, "
        "operator_aliases.csv, service_points.csv et structures.csv ; un territoire peut livrer moins de "
        "fichiers. Rejouable : les lignes existantes sont mises à jour, jamais dupliquées. À la première "
        "erreur (fichier, ligne et problème indiqués), rien n'est modifié."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            help="Dossier des fichiers du territoire (par défaut : réglage TERRITORY_DIR).",
        )

    def handle(self, *args, **options):
        directory = options["directory"] or Path(settings.TERRITORY_DIR)
        verbose = options["verbosity"] >= 1
        report = load_territory(directory, stdout=self.stdout if verbose else None)
        if verbose:
            self.stdout.write(self.style.SUCCESS(report.summary()))
