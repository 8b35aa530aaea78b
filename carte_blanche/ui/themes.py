"""Semantic class names per UI theme.

Page templates write ``class="{{ ui.button }}"`` instead of design-system classes; a theme
maps each intention to its own classes and provides the `theme/*.html` templates
(base layout, form fields, alerts). See docs/adr/0002-swappable-design-system.md.
"""

from __future__ import annotations

from functools import cache

DSFR = {
    "grid": "fr-grid-row fr-grid-row--gutters",
    "col_half": "fr-col-12 fr-col-md-6",
    "col_third": "fr-col-12 fr-col-md-4",
    "col_two_thirds": "fr-col-12 fr-col-md-8",
    "button": "fr-btn",
    "button_secondary": "fr-btn fr-btn--secondary",
    "button_small": "fr-btn fr-btn--sm",
    "button_small_secondary": "fr-btn fr-btn--sm fr-btn--secondary",
    "buttons": "fr-btns-group fr-btns-group--inline-md",
    "button_large": "fr-btn fr-btn--lg",
    "buttons_large": "fr-btns-group fr-btns-group--inline-sm fr-btns-group--lg",
    "link": "fr-link",
    "table_wrapper": "fr-table fr-table--no-caption",
    "table_wrapper_captioned": "fr-table",
    "badge": "fr-badge fr-badge--sm",
    "badge_success": "fr-badge fr-badge--sm fr-badge--success",
    "badge_error": "fr-badge fr-badge--sm fr-badge--error",
    "badge_info": "fr-badge fr-badge--sm fr-badge--info",
    "badge_warning": "fr-badge fr-badge--sm fr-badge--warning",
    "lead": "fr-text--lead",
    "hint": "fr-hint-text",
    "small": "fr-text--sm",
    "section": "fr-mb-5w",
    "search": "fr-search-bar",
    "input": "fr-input",
    "label": "fr-label",
    "fieldset": "fr-fieldset",
    "description_list": "cb-dl",
    "block": "fr-mb-3w",
    "input_group": "fr-input-group",
    "select_group": "fr-select-group",
    "select": "fr-select",
}

THEMES = {"dsfr": DSFR}


@cache
def theme_classes(name: str) -> dict[str, str]:
    try:
        return THEMES[name]
    except KeyError as exc:
        raise LookupError(f"Unknown UI theme {name!r}; known: {', '.join(THEMES)}") from exc
