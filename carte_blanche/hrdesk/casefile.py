"""The company's case file (*dossier de l'entreprise*): sections contributed by the HR centre's apps.

An app registers a function once, from its ``AppConfig.ready()``::

    from carte_blanche.hrdesk.casefile import register_section

    def simulations_section(employer, user):
        sims = Simulation.objects.filter(employer=employer)
        if not sims.exists():
            return None
        return render_to_string("hiring/_casefile_section.html", {"simulations": sims, "user": user})

    register_section(simulations_section)

The function receives the :class:`~carte_blanche.employers.models.Employer` and the reader (a
member of the company, an advisor or a coordinator: the page has already checked access) and
returns an HTML fragment (starting with an ``<h2>``), or None to show nothing. The fragment is
inserted as is: escape what you render (``render_to_string`` does).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Section = Callable[[object, object], str | None]

_sections: list[Section] = []


def register_section(func: Section) -> Section:
    """Add a section to every case file (idempotent; usable as a decorator)."""
    if func not in _sections:
        _sections.append(func)
    return func


def unregister_section(func: Section) -> None:
    if func in _sections:
        _sections.remove(func)


def sections_for(employer, user) -> list[SafeString]:
    """The fragments the registered apps render for this company and reader, in registration order."""
    fragments = []
    for section in _sections:
        html = section(employer, user)
        if html:
            fragments.append(mark_safe(html))  # noqa: S308 — produced by the apps' own templates
    return fragments
