"""Searching the answers library with the catalogue's French engine (accents, plurals, typos)."""

from __future__ import annotations

from carte_blanche.catalogue.search import Document, Index
from carte_blanche.employers.models import HrTheme
from carte_blanche.hrdesk.models import Answer


def search_answers(query: str, theme: str = "", limit: int = 20) -> list[Answer]:
    """Library answers matching ``query`` (all of them, most used first, when it is empty)."""
    answers = Answer.objects.select_related("updated_by")
    if theme:
        answers = answers.filter(theme=theme)
    query = (query or "").strip()
    if not query:
        return list(answers.order_by("-times_used", "title")[:limit])
    by_id = {a.pk: a for a in answers}
    labels = dict(HrTheme.choices)
    index = Index.build(
        Document(id=a.pk, title=a.title, theme=str(labels.get(a.theme, "")), body=f"{a.body}\n{a.sources}")
        for a in by_id.values()
    )
    return [by_id[hit.id] for hit in index.search(query, limit=limit)]
