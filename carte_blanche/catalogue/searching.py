"""Catalogue search against the database: PostgreSQL full-text + trigram, or the in-memory index.

Both backends fold accents and case, stem French words with the same Snowball algorithm
and forgive typos by trigram word similarity (docs/adr/0005-catalogue-search.md).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.expressions import RawSQL

from carte_blanche.catalogue.models import Procedure
from carte_blanche.catalogue.search import TRIGRAM_THRESHOLD, Index, words

_lock = threading.Lock()
_cache: dict[str, object] = {"key": None, "index": None}


@dataclass(frozen=True)
class ProcedureHit:
    procedure: Procedure
    score: float


def backend_name() -> str:
    configured = getattr(settings, "CATALOGUE_SEARCH_BACKEND", "auto")
    if configured == "auto":
        return "postgres" if connection.vendor == "postgresql" else "index"
    return configured


def search_procedures(query: str, limit: int = 20, backend: str | None = None) -> list[ProcedureHit]:
    backend = backend or backend_name()
    if backend == "postgres":
        return _search_postgres(query, limit)
    return _search_index(query, limit)


def _current_index() -> Index:
    """The in-memory index, rebuilt when the catalogue changed (one cheap query per search)."""
    state = Procedure.objects.active().aggregate(n=Count("id"), last=Max("updated_at"))
    key = (state["n"], state["last"])
    with _lock:
        if _cache["key"] != key:
            procedures = Procedure.objects.active().select_related("operator", "theme")
            _cache["index"] = Index.build(p.as_search_document() for p in procedures)
            _cache["key"] = key
        return _cache["index"]  # type: ignore[return-value]


def _search_index(query: str, limit: int) -> list[ProcedureHit]:
    hits = _current_index().search(query, limit=limit)
    by_id = Procedure.objects.select_related("operator", "theme").in_bulk([h.id for h in hits])
    return [ProcedureHit(by_id[h.id], h.score) for h in hits if h.id in by_id]


def _search_postgres(query: str, limit: int) -> list[ProcedureHit]:
    query_words = list(dict.fromkeys(words(query)))
    if not query_words:
        return []
    # `search_vector` is a column PostgreSQL computes from `search_document` (migration 0002).
    vector = RawSQL('"catalogue_procedure"."search_vector"', [], output_field=SearchVectorField())
    any_word = SearchQuery(" | ".join(query_words), config="french_unaccent", search_type="raw")

    def found(word: str) -> Q:
        # The word's stem, accents folded, or a spelling close enough to forgive a typo.
        return Q(vector=SearchQuery(word, config="french_unaccent", search_type="plain")) | Q(
            search_document__trigram_word_similar=word
        )

    every_word = Q()
    some_word = Q()
    for word in query_words:
        every_word &= found(word)
        some_word |= found(word)
    similarity = TrigramWordSimilarity(query_words[0], "search_document")
    for word in query_words[1:]:
        similarity = similarity + TrigramWordSimilarity(word, "search_document")
    base = (
        Procedure.objects.active()
        .annotate(vector=vector)
        .annotate(similarity=similarity, rank=SearchRank(vector, any_word))
        .select_related("operator", "theme")
        # How closely the words appear as typed (the word itself beats another of the
        # same stem), then full-text rank.
        .order_by("-similarity", "-rank", "id")
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [TRIGRAM_THRESHOLD])
        # Entries with every word first; entries with only some of them fill the list.
        results = list(base.filter(every_word)[:limit])
        if len(results) < limit and len(query_words) > 1:
            seen = [p.pk for p in results]
            results += list(base.filter(some_word).exclude(pk__in=seen)[: limit - len(results)])
    return [ProcedureHit(p, float(p.similarity) + float(p.rank)) for p in results]
