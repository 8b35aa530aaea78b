"""Compute the bus's tour for a cycle (and publish it): the coordinator's page, from the command line."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carte_blanche.accounts.models import User
from carte_blanche.bus.actions import publish_plan
from carte_blanche.bus.models import Call, PlanStatus
from carte_blanche.bus.planning import compute_plan
from carte_blanche.territory.models import Commune


class Command(BaseCommand):
    help = "Calcule la tournée du bus France services pour un cycle, et la publie avec --publish."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="Identifiant du coordinateur du territoire.")
        parser.add_argument("--start", help="Premier jour du cycle (AAAA-MM-JJ ; défaut : lundi prochain).")
        parser.add_argument("--weeks", type=int, default=4)
        parser.add_argument("--half-days", type=int, default=8, help="Demi-journées de bus par semaine.")
        parser.add_argument("--epci", help="SIREN de l'EPCI à desservir (défaut : tout le territoire).")
        parser.add_argument("--pin", action="append", default=[], help="Commune imposée : CODE_INSEE[:passages].")
        parser.add_argument("--forbid", action="append", default=[],
                            help="Date exclue : AAAA-MM-JJ, ou CODE_INSEE:AAAA-MM-JJ pour une commune.")  # fmt: skip
        parser.add_argument("--time-limit", type=float, default=30.0, help="Secondes de calcul au plus.")
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--if-none", action="store_true", help="Ne rien faire si une tournée à venir est publiée.")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Aucun compte « {options['username']} ».")
        today = timezone.localdate()
        if options["if_none"] and Call.objects.filter(outing__plan__status=PlanStatus.PUBLISHED,
                                                      outing__day__gte=today).exists():  # fmt: skip
            self.stdout.write("Une tournée à venir est déjà publiée : rien à faire.")
            return
        start = (
            dt.date.fromisoformat(options["start"])
            if options["start"]
            else today + dt.timedelta(days=7 - today.weekday())
        )
        communes = Commune.objects.order_by("insee_code")
        if options["epci"]:
            communes = communes.filter(epci__siren=options["epci"])
        pinned = {}
        for item in options["pin"]:
            code, _, count = item.partition(":")
            pinned[code] = int(count or 1)
        forbidden = "\n".join(f.replace(":", " ", 1) for f in options["forbid"])
        weeks, half_days, limit = options["weeks"], options["half_days"], options["time_limit"]
        self.stdout.write(
            f"Calcul de la tournée : {communes.count()} communes, {weeks} semaines, "
            f"{half_days} demi-journées par semaine, {limit:.0f} s au plus…"
        )
        try:
            plan = compute_plan(
                by=user, scope_communes=communes, starts_on=start, weeks=options["weeks"],
                half_days_per_week=options["half_days"], forbidden_text=forbidden, pinned=pinned,
                time_limit=options["time_limit"],
            )  # fmt: skip
            metrics = plan.metrics
            self.stdout.write(
                f"Tournée n° {plan.pk} : {metrics['distinct_communes']} communes, "
                f"{metrics['stops_per_cycle']} passages, "
                f"{metrics['km_per_cycle']:.0f} km par cycle ; {metrics['residents_covered']} habitants sur "
                f"{metrics['residents_total']} à 10 km ou moins d'un arrêt ou d'un accueil permanent ; "
                f"écart à l'optimum {100 * plan.gap:.2f} % ({plan.solver_status}, {plan.seconds:.1f} s)."
            )
            if options["publish"]:
                publish_plan(plan, by=user)
                self.stdout.write(self.style.SUCCESS("Tournée publiée : horaires en ligne, passages réservables."))
        except (ValidationError, PermissionError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
