"""``{% person_timeline record as items %}``: the timeline of a file the page already read."""

from django import template

from carte_blanche.visits.timeline import timeline_for

register = template.Library()


@register.simple_tag(takes_context=True)
def person_timeline(context, record):
    return timeline_for(record, context["request"].user)
