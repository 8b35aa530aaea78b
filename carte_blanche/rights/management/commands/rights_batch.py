"""`manage.py rights_batch IN.csv OUT.csv`: probable rights of every household of a CSV file.

The input is read as a stream, in chunks of `--chunk-size` rows; each chunk is computed in one
vectorised OpenFisca simulation (per month) by `engine.batch.compute_rows`, in a pool of
`--processes` worker processes, or by Celery workers with `--celery`. At most `--in-flight`
chunks are read and not yet written, so memory stays bounded whatever the file's size; output
rows are written as chunks finish, in input order. Format: docs/rights-batch.md.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from tqdm import tqdm

from carte_blanche.rights.engine import batch, warm_up
from carte_blanche.rights.engine.situation import MONTH_RE

DEFAULT_CHUNK_SIZE = 2_000  # OpenFisca keeps ~110 KB per household: ~220 MB per chunk and process
DELIMITERS = (",", ";", "\t")


def default_processes() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _Done:
    """A chunk computed in this process: the same `result()` as a future."""

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def result(self) -> list[dict]:
        return self.rows


class _CeleryPending:
    def __init__(self, async_result):
        self.async_result = async_result

    def result(self) -> list[dict]:
        return self.async_result.get()


class Command(BaseCommand):
    help = (
        "Calcule les droits probables de chaque foyer d'un fichier CSV (une ligne par foyer) et écrit un "
        "CSV de résultats dans le même ordre. Format des colonnes : docs/rights-batch.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="fichier CSV des foyers, ou - pour l'entrée standard")
        parser.add_argument("output", help="fichier CSV des résultats à écrire, ou - pour la sortie standard")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help=f"foyers par simulation (défaut : {DEFAULT_CHUNK_SIZE} ; environ 110 Ko de mémoire par foyer)",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=default_processes(),
            help="processus de calcul en parallèle sur cette machine (défaut : nombre de processeurs ; 1 = sur place)",
        )
        parser.add_argument(
            "--celery",
            action="store_true",
            help="envoyer les paquets aux workers Celery (celery -A config worker) au lieu de processus locaux",
        )
        parser.add_argument("--queue", default=None, help="file Celery des paquets (ex. rights)")
        parser.add_argument(
            "--in-flight",
            type=int,
            default=None,
            help="paquets envoyés et pas encore écrits (défaut : 2 × processus, 16 avec --celery)",
        )
        parser.add_argument("--month", default=None, help="mois de calcul (AAAA-MM) des lignes sans mois")
        parser.add_argument("--delimiter", default=None, help="séparateur des colonnes (défaut : deviné sur l'en-tête)")
        parser.add_argument(
            "--encoding", default="utf-8-sig", help="encodage du fichier d'entrée (défaut : UTF-8 ; cp1252 pour Excel)"
        )
        parser.add_argument("--no-progress", action="store_true", help="sans barre de progression")

    # --- entry point ----------------------------------------------------------------------------

    def handle(self, *args, **options):
        chunk_size = options["chunk_size"]
        processes = options["processes"]
        if chunk_size < 1:
            raise CommandError("--chunk-size doit être au moins 1.")
        if processes < 1:
            raise CommandError("--processes doit être au moins 1.")
        if options["in_flight"] is not None and options["in_flight"] < 1:
            raise CommandError("--in-flight doit être au moins 1.")
        month = options["month"]
        if month and not MONTH_RE.match(month):
            raise CommandError("--month doit être au format AAAA-MM.")
        if options["celery"]:
            self._check_celery()

        if options["input"] != "-" and options["output"] != "-" and _same_file(options["input"], options["output"]):
            raise CommandError("Le fichier de sortie doit être différent du fichier d'entrée.")

        started = time.monotonic()
        source, total = self._open_input(options["input"], options["encoding"])
        owned = options["input"] != "-"
        to_stdout = options["output"] == "-"
        report = self.stderr if to_stdout else self.stdout
        try:
            reader, delimiter = self._reader(source, options["input"], options["delimiter"])
            fieldnames = [name.strip() for name in reader.fieldnames or []]
            reader.fieldnames = fieldnames
            if fieldnames:
                missing = batch.missing_columns(fieldnames, month_given=bool(month))
                if missing:
                    raise CommandError(
                        f"Colonnes obligatoires absentes de {options['input']} : {', '.join(missing)}. "
                        "Voir docs/rights-batch.md."
                    )
                unknown = batch.unknown_columns(fieldnames)
                if unknown:
                    self.stderr.write(f"Colonnes inconnues, ignorées : {', '.join(unknown)}.")
            sink = self._open_output(options["output"])
            try:
                columns = batch.result_columns()
                writer = csv.DictWriter(sink, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
                writer.writeheader()
                sink.flush()
                summary = _Summary()
                chunks = self._chunks(reader, chunk_size, options["input"]) if fieldnames else iter(())
                progress = tqdm(
                    total=total,
                    unit=" foyers",
                    desc="Droits",
                    file=sys.stderr,
                    disable=True if options["no_progress"] else None,
                    dynamic_ncols=True,
                )
                with progress:

                    def write(rows: list[dict]) -> None:
                        writer.writerows(rows)
                        sink.flush()
                        summary.add(rows)
                        progress.update(len(rows))

                    self._run(chunks, write, options, month)
            finally:
                if to_stdout and sink is not sys.stdout:
                    sink.flush()
                    sink.detach()  # leave the process's stdout open
                elif not to_stdout:
                    sink.close()
        finally:
            if owned:
                source.close()
        elapsed = time.monotonic() - started
        report.write(summary.text(elapsed))

    # --- running the chunks ---------------------------------------------------------------------

    def _run(self, chunks: Iterator[list[dict]], write: Callable[[list[dict]], None], options, month) -> None:
        first = list(itertools.islice(chunks, 2))
        chunks = itertools.chain(first, chunks)
        processes = options["processes"]
        if options["celery"]:
            in_flight = options["in_flight"] or 16
            task = _celery_task()

            def submit(rows):
                return _CeleryPending(task.apply_async(args=[rows, month], queue=options["queue"]))

            self._pipeline(chunks, submit, write, in_flight)
        elif processes == 1 or len(first) < 2:
            # One process, or a single chunk: no pool to start and warm up.
            self._pipeline(chunks, lambda rows: _Done(batch.compute_rows(rows, default_month=month)), write, 1)
        else:
            in_flight = options["in_flight"] or 2 * processes
            connections.close_all()  # never share a database connection with forked children
            # fork: OpenFisca is built and warmed once, here, and the children inherit it
            # (copy-on-write) instead of each spending ~10 s on it; they keep it for every chunk.
            # A chunk's simulation is freed when it ends, so a worker's memory is bounded by
            # --chunk-size (max_tasks_per_child is not available with fork).
            warm_up()
            pool = ProcessPoolExecutor(max_workers=processes, mp_context=get_context("fork"), initializer=_init_worker)

            def submit(rows):
                return pool.submit(batch.compute_rows, rows, default_month=month)

            try:
                self._pipeline(chunks, submit, write, in_flight)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)

    def _pipeline(self, chunks, submit, write, in_flight: int) -> None:
        """Submit chunks, at most `in_flight` at a time, and write their results in input order."""
        pending: deque[tuple[list[str], object]] = deque()

        def finish() -> None:
            ids, handle = pending.popleft()
            try:
                rows = handle.result()
            except Exception as exc:  # a worker died, the broker failed: the chunk's rows say so
                rows = [batch.format_error(household_id, exc) for household_id in ids]
                if isinstance(exc, BrokenProcessPool):
                    write(rows)
                    while pending:
                        finish()
                    raise CommandError(
                        "Un processus de calcul s'est arrêté (manque de mémoire ?) : réduisez --chunk-size "
                        "ou --processes. Les lignes déjà écrites sont valables."
                    ) from exc
            write(rows)

        for chunk in chunks:
            ids = [(row.get("household_id") or "").strip() for row in chunk]
            pending.append((ids, submit(chunk)))
            while len(pending) >= in_flight:
                finish()
        while pending:
            finish()

    # --- files ----------------------------------------------------------------------------------

    def _check_celery(self) -> None:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            return  # no broker: tasks run here, one after the other
        if not getattr(settings, "CELERY_RESULT_BACKEND", None):
            raise CommandError(
                "--celery avec un broker demande un stockage des résultats : définissez CELERY_RESULT_BACKEND "
                "(par exemple redis://…)."
            )

    def _open_input(self, path: str, encoding: str):
        if path == "-":
            if not hasattr(sys.stdin, "buffer"):
                return sys.stdin, None
            try:
                return io.TextIOWrapper(sys.stdin.buffer, encoding=encoding, newline=""), None
            except LookupError as exc:
                raise CommandError(f"Encodage inconnu : {encoding}.") from exc
        file = Path(path)
        try:
            total = _count_rows(file, encoding)
            return file.open(encoding=encoding, newline=""), total
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : {path}.") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"{path} est un dossier, pas un fichier CSV.") from exc
        except PermissionError as exc:
            raise CommandError(f"Lecture de {path} refusée (droits du fichier).") from exc
        except LookupError as exc:
            raise CommandError(f"Encodage inconnu : {encoding}.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path} n'est pas encodé en {encoding} ; pour un export Excel, essayez --encoding cp1252."
            ) from exc
        except (OSError, csv.Error) as exc:
            raise CommandError(f"Impossible de lire {path} : {exc}.") from exc

    def _open_output(self, path: str):
        if path == "-":
            if not hasattr(sys.stdout, "buffer"):
                return sys.stdout
            sys.stdout.flush()
            return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by handle)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire {path} : {exc.strerror or exc}.") from exc

    def _reader(self, source, name: str, delimiter: str | None) -> tuple[csv.DictReader, str]:
        try:
            header = source.readline()
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name} n'est pas encodé en UTF-8 ; essayez --encoding cp1252.") from exc
        if delimiter is None:
            delimiter = max(DELIMITERS, key=header.count) if header.strip() else ","
        elif delimiter in ("\\t", "tab"):
            delimiter = "\t"
        if len(delimiter) != 1:
            raise CommandError("--delimiter est un seul caractère (, ; ou tab).")
        lines = itertools.chain([header], source) if header else iter(())
        return csv.DictReader(lines, delimiter=delimiter), delimiter

    def _chunks(self, reader: csv.DictReader, size: int, name: str) -> Iterator[list[dict]]:
        chunk: list[dict] = []
        try:
            for raw in reader:
                # Extra cells (restkey None) are dropped; missing ones read as empty.
                row = {key: (value or "") for key, value in raw.items() if isinstance(key, str)}
                if not any(v.strip() for v in row.values() if isinstance(v, str)):
                    continue  # blank line
                chunk.append(row)
                if len(chunk) >= size:
                    yield chunk
                    chunk = []
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{name} n'est pas encodé en UTF-8 (vers la ligne {reader.line_num}) ; essayez --encoding cp1252."
            ) from exc
        except csv.Error as exc:
            raise CommandError(f"{name}, ligne {reader.line_num} : CSV illisible ({exc}).") from exc
        if chunk:
            yield chunk


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _init_worker() -> None:
    warm_up()  # already warm when inherited from the parent: then a no-op
    # The tax-benefit system lives as long as the process: keep its objects out of the full
    # collection `compute_rows` runs after each chunk (0.3 s each otherwise).
    gc.freeze()


def _celery_task():
    from carte_blanche.rights.batch_tasks import compute_chunk

    return compute_chunk


def _count_rows(path: Path, encoding: str) -> int:
    """Data rows of a file, for the progress bar (a quick first pass; blank lines excluded)."""
    with path.open(encoding=encoding, newline="") as f:
        return max(0, sum(1 for row in csv.reader(f, delimiter=_guess(f)) if any(cell.strip() for cell in row)) - 1)


def _guess(f) -> str:
    header = f.readline()
    f.seek(0)
    return max(DELIMITERS, key=header.count) if header.strip() else ","


class _Summary:
    def __init__(self) -> None:
        self.rows = 0
        self.errors = 0
        self.unclaimed = 0
        self.unclaimed_total = 0.0

    def add(self, rows: list[dict]) -> None:
        for row in rows:
            self.rows += 1
            if row.get("error"):
                self.errors += 1
            elif row.get("unclaimed"):
                self.unclaimed += 1
                self.unclaimed_total += float(row.get("unclaimed_monthly_total") or 0)

    def text(self, elapsed: float) -> str:
        rate = self.rows / elapsed if elapsed > 0 else 0.0
        computed = self.rows - self.errors
        return (
            f"{_n(self.rows)} {_s(self.rows, 'foyer lu', 'foyers lus')}, "
            f"{_n(computed)} {_s(computed, 'calculé', 'calculés')}, {_n(self.errors)} en erreur ; "
            f"{_n(self.unclaimed)} {_s(self.unclaimed, 'foyer', 'foyers')} avec au moins un droit probable non perçu "
            f"({_n(round(self.unclaimed_total))} € par mois au total) ; "
            f"{elapsed:.1f} s ({rate:.1f} foyers/s)."
        )


def _s(count: int, singular: str, plural: str) -> str:
    return plural if count > 1 else singular


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")
