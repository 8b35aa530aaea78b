from django.core.management.base import BaseCommand

from carte_blanche.rights.recheck import ENGINE_UPGRADED, FILE_CHANGED, HOUSEHOLD_CHANGED, recheck_all

REASON_LABELS = {
    FILE_CHANGED: "dossier modifié",
    HOUSEHOLD_CHANGED: "composition du foyer modifiée",
    ENGINE_UPGRADED: "nouvelle version d'OpenFisca",
}


class Command(BaseCommand):
    help = (
        "Revérifie les droits des personnes dont le dossier a changé depuis leur dernière vérification, "
        "ou quand la version d'OpenFisca a changé ; prévient l'agent quand un droit apparaît ou disparaît."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compte les vérifications à refaire sans rien calculer ni enregistrer.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, dry_run: bool = False, no_progress: bool = False, **options):
        # tqdm redraws its line with "\r": it writes to the raw stream, not through OutputWrapper's line endings.
        report = recheck_all(dry_run=dry_run, progress=not no_progress, stream=getattr(self.stderr, "_out", None))
        reasons = ", ".join(f"{REASON_LABELS.get(k, k)} : {n}" for k, n in sorted(report.reasons.items()))
        self.stdout.write(
            f"{report.examined} dernière(s) vérification(s) examinée(s) : {report.up_to_date} à jour, "
            f"{report.no_consent} sans consentement en cours, {report.invalid} situation(s) à revoir au guichet, "
            f"{report.due} à refaire" + (f" ({reasons})" if reasons else "") + "."
        )
        if dry_run:
            self.stdout.write("Simulation : rien n'a été calculé ni enregistré.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.rechecked} revérification(s) enregistrée(s), {report.agents_told} agent(s) prévenu(s)."
                )
            )
