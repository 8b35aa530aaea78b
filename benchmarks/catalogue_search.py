"""Benchmark: catalogue search latency on a 10,000-entry catalogue.

    python -m benchmarks.catalogue_search [--entries 10000] [--rounds 5] [--backend index|postgres]

Uses the database of DATABASE_URL (a throw-away one: `make bench` creates it), loads the
Cahors territory and the real catalogue, then pads the catalogue to --entries with local
variants of real procedures ("… — permanence de Lalbenque"), as a large territory's
catalogue would hold. It runs a fixed set of realistic queries (typos, slang, accents)
--rounds times and prints latency percentiles as a Markdown table row.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time

QUERIES = [
    "pasport", "passeport", "carte grise", "allocs", "mutuelle", "rsa", "carte d'identite", "permis de conduire",
    "apl", "retraite", "inscription pole emploi", "chomage", "impots declaration", "cheque energie", "aah",
    "rqth", "apa domicile", "prime activite", "acte de naissance", "titre de sejour", "complementaire sante",
    "logement social", "allocation familiale", "bourse college", "casier judiciaire", "procuration vote",
    "changement adresse", "demenagement", "handicap carte", "jeune mission locale",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backend", choices=["index", "postgres"], default=None)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CB_DEMO", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from carte_blanche.catalogue.models import Procedure
    from carte_blanche.catalogue.searching import backend_name, search_procedures
    from carte_blanche.territory.models import Commune

    call_command("migrate", verbosity=0)
    call_command("load_territory", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    real = list(Procedure.objects.filter(file_hash__gt="").select_related("operator", "theme"))
    communes = list(Commune.objects.order_by("name").values_list("name", flat=True))
    Procedure.objects.filter(file_hash="").delete()
    padding = []
    i = 0
    while len(real) + len(padding) < args.entries:
        base = real[i % len(real)]
        commune = communes[(i // len(real)) % len(communes)]
        copy = Procedure(
            slug=f"{base.slug}-{i}",
            title=f"{base.title} — permanence de {commune}",
            theme=base.theme,
            operator=base.operator,
            audience=base.audience,
            documents=base.documents,
            keywords=base.keywords,
            benefits=base.benefits,
            version=1,
        )
        copy.refresh_search_document()
        padding.append(copy)
        i += 1
    Procedure.objects.bulk_create(padding, batch_size=1000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalogue_procedure")
    total = Procedure.objects.count()

    backend = args.backend or backend_name()
    start = time.perf_counter()
    search_procedures("passeport", backend=backend)  # index backend: builds the index
    cold_ms = (time.perf_counter() - start) * 1000
    latencies = []
    found_first = 0
    for _ in range(args.rounds):
        for query in QUERIES:
            t0 = time.perf_counter()
            hits = search_procedures(query, backend=backend)
            latencies.append((time.perf_counter() - t0) * 1000)
            found_first += bool(hits)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"| {connection.vendor} | {backend} | {total} | {len(latencies)} | {cold_ms:.0f} | "
        f"{statistics.median(latencies):.1f} | {pct(95):.1f} | {pct(99):.1f} | {max(latencies):.1f} | "
        f"{found_first / len(latencies):.0%} | {rss_mb:.0f} |"
    )
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU", file=sys.stderr)


if __name__ == "__main__":
    main()
