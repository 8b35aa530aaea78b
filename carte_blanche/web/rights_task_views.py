"""Marking a changed re-check as seen (the agent's rights task)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from carte_blanche.rights.actions import mark_reviewed
from carte_blanche.rights.models import RightsCheck


@require_POST
def rights_check_reviewed(request, check_id: int):
    check = get_object_or_404(RightsCheck, pk=check_id)
    mark_reviewed(request.user, check)
    messages.success(request, "Changement de droits marqué comme vu.")
    return redirect("web:home")
