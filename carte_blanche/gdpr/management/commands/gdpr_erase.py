"""Erase files on request or at the end of the retention period (dry run unless --apply)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from carte_blanche.gdpr.erasure import candidates, erase
from carte_blanche.people.models import Person


class Command(BaseCommand):
    help = (
        "Efface des dossiers : ceux donnés par --person (droit à l'effacement) ou ceux sans activité depuis "
        "--retention-years ans. Sans --apply, montre seulement ce qui serait effacé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--person", type=int, action="append", default=[], help="Numéro de dossier.")
        parser.add_argument("--retention-years", type=int, help="Durée de conservation sans activité (ans).")
        parser.add_argument("--apply", action="store_true", help="Effacer vraiment (sinon : simulation).")

    def handle(self, *args, **options):
        if not options["person"] and options["retention_years"] is None:
            raise CommandError("Indiquez --person N (une demande) ou --retention-years N (fin de conservation).")
        if options["person"]:
            ids = list(options["person"])
            missing = sorted(set(ids) - set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"Dossiers inconnus : {', '.join(map(str, missing))}.")
            reason = "demande de la personne"
            rows = [(pk, "") for pk in ids]
        else:
            reason = f"fin de conservation ({options['retention_years']} ans sans activité)"
            rows = [(c.person_id, f" (dernière activité : {c.last_activity:%d/%m/%Y})")
                    for c in candidates(options["retention_years"])]  # fmt: skip
        mode = "EFFACEMENT" if options["apply"] else "SIMULATION (rien n'est effacé ; ajoutez --apply)"
        self.stdout.write(f"{mode} — {len(rows)} dossier(s), motif : {reason}")
        for index, (pk, note) in enumerate(rows, start=1):
            prefix = f"[{index}/{len(rows)}] dossier n° {pk}{note}"
            if options["apply"]:
                done = erase(pk, reason=reason)
                self.stdout.write(f"{prefix} : " + " ; ".join(done))
            else:
                self.stdout.write(f"{prefix} : serait effacé")
