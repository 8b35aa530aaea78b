"""The agent's rights tasks: re-checks whose probable rights changed, on the agent's home page."""

from django import template

from carte_blanche.rights.engine import BY_CODE
from carte_blanche.rights.models import RightsCheck

register = template.Library()


@register.inclusion_tag("web/rights/_to_review.html", takes_context=True)
def rights_to_review(context):
    user = context["request"].user
    checks = RightsCheck.objects.to_review_by(user) if getattr(user, "role", None) == "agent" else []
    rows = [
        {
            "check": check,
            "appeared": [BY_CODE[c].label if c in BY_CODE else c for c in check.appeared],
            "disappeared": [BY_CODE[c].label if c in BY_CODE else c for c in check.disappeared],
        }
        for check in checks
    ]
    return {"rows": rows, "ui": context.get("ui"), "csrf_token": context.get("csrf_token")}
