"""``manage.py load_demo``: demo accounts and the 8 personas, on top of ``load_territory``."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from carte_blanche.demo.loader import DemoError, DemoReport, load_demo

HEADERS = ("Identifiant", "Rôle", "Structure ou organisme", "Mot de passe")


class Command(BaseCommand):
    help = (
        "Crée les comptes de démonstration (un par rôle), les dossiers des 8 personas et leurs "
        "consentements. À lancer après « load_territory » ; peut être relancée sans doublon."
    )

    def handle(self, *args, **options):
        # Accounts with a published password have no place on a real deployment.
        if not (settings.DEBUG or settings.DEMO_MODE):
            raise CommandError(
                "La démonstration ne se charge qu'en mode démo (CB_DEMO=1) ou de développement (CB_DEBUG=1) : "
                "ses comptes ont un mot de passe connu de tous."
            )
        verbosity = options["verbosity"]
        try:
            report = load_demo(stdout=self.stdout if verbosity >= 2 else None)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(format_report(report))


def format_report(report: DemoReport) -> str:
    rows = [(a.username, a.role_label, a.attached_to, report.password) for a in report.accounts]
    widths = [max(len(str(row[i])) for row in [HEADERS, *rows]) for i in range(len(HEADERS))]

    def line(cells) -> str:
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    lines = [
        "Démonstration Carte Blanche chargée.",
        f"Comptes créés : {report.users_created} ; dossiers ouverts : {report.persons_created} "
        f"(déjà présents : {report.persons_existing}) ; consentements enregistrés : {report.consents_granted}, "
        f"dont retirés : {report.consents_revoked}.",
        "",
        "Comptes de démonstration :",
        line(HEADERS),
        rule,
        *(line(row) for row in rows),
        "",
        f"Connectez-vous sur {report.url}",
    ]
    return "\n".join(lines)
