from django.core.management.base import BaseCommand, CommandError

from carte_blanche.journal.verify import verify_journal


class Command(BaseCommand):
    help = "Vérifie la chaîne de hachage du journal des accès ; code de sortie non nul à la première ligne altérée."

    def handle(self, *args, **options):
        count, error = verify_journal()
        if error is not None:
            where = f"entrée n° {error.seq}" if error.seq is not None else "tête du journal"
            if error.row_id is not None:
                where += f" (ligne id={error.row_id})"
            raise CommandError(f"Journal altéré : {where} : {error.reason}. {count} entrées lues.")
        self.stdout.write(self.style.SUCCESS(f"Journal intègre : {count} entrées vérifiées."))
