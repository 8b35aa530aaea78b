"""On a person's file: which operators were told of a change (*dites-le-nous une fois*)."""

from django import template

from carte_blanche.consent.categories import CATEGORY_LABELS
from carte_blanche.webhooks.models import Propagation

register = template.Library()


@register.inclusion_tag("web/tell_once/_person_section.html", takes_context=True)
def tell_once_section(context, record):
    """Shown with the file's journal: to the agents and the person (``record.journal`` is filled)."""
    rows = []
    if record.journal is not None:
        told = Propagation.objects.filter(person_id=record.person_id).select_related("operator")[:50]
        rows = [{"p": p, "category": CATEGORY_LABELS.get(p.category, p.category)} for p in told]
    return {"rows": rows, "shown": record.journal is not None, "ui": context.get("ui")}
