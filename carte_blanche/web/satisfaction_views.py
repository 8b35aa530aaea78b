"""The public satisfaction page: one question, two buttons, nothing about the person shown."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from carte_blanche.satisfaction.actions import answer, find
from carte_blanche.satisfaction.models import COMMENT_MAX_LENGTH, QUESTION

CHOICES = {"oui": True, "non": False}
# The link is unknown: 404; it was valid once (answered, expired): 410.
STATUS = {"unknown": 404, "answered": 410, "expired": 410}


def _closed(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return render(
        request,
        "web/satisfaction_closed.html",
        {"message": error.messages[0], "page_title": "Votre avis"},
        status=STATUS.get(getattr(error, "code", None), 404),
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def satisfaction_answer(request: HttpRequest, token: str) -> HttpResponse:
    errors: list[str] = []
    comment = ""
    if request.method == "POST":
        comment = request.POST.get("comment", "")
        resolved = CHOICES.get(request.POST.get("resolved", ""))
        try:
            answer(token, resolved, comment)
        except ValidationError as exc:
            if getattr(exc, "code", None) in STATUS:
                return _closed(request, exc)
            errors = exc.messages
        else:
            return redirect("web:satisfaction_thanks")
    else:
        try:
            find(token)
        except ValidationError as exc:
            return _closed(request, exc)
    return render(
        request,
        "web/satisfaction_answer.html",
        {
            "question": QUESTION,
            "errors": errors,
            "comment": comment[:COMMENT_MAX_LENGTH],
            "comment_max": COMMENT_MAX_LENGTH,
            "page_title": "Votre avis",
        },
        status=400 if errors else 200,
    )


@login_not_required
def satisfaction_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "web/satisfaction_thanks.html", {"page_title": "Merci pour votre réponse"})
