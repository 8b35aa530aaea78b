from django import template

from carte_blanche.consent.categories import PURPOSE_LABELS, Purpose

register = template.Library()


@register.filter
def purpose_label(value: str) -> str:
    try:
        return PURPOSE_LABELS[Purpose(value)]
    except ValueError:
        return "—"
