"""The HR centre's questions: employers ask, advisors answer from their inbox with the library."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from carte_blanche.accounts.models import Role
from carte_blanche.employers.actions import register_employer
from carte_blanche.employers.models import Employer, HrTheme
from carte_blanche.hrdesk.actions import (
    ask_question,
    can_open_employer,
    is_advisor,
    is_centre_reader,
    open_attachment,
    save_answer,
    side_of,
    transition,
)
from carte_blanche.hrdesk.casefile import sections_for
from carte_blanche.hrdesk.library import search_answers
from carte_blanche.hrdesk.models import Answer, HrAttachment, HrQuestion
from carte_blanche.hrdesk.states import IllegalTransition, Side, Transition, allowed
from carte_blanche.web.hrdesk_forms import (
    AnswerForm,
    EmployerForm,
    InboxFilter,
    LibrarySearchForm,
    PeriodForm,
    QuestionForm,
)

TRANSITION_LABELS = {
    Transition.TAKE: "Prendre en charge",
    Transition.REQUEST_INFO: "Demander des précisions",
    Transition.PROVIDE_INFO: "Envoyer les précisions",
    Transition.ANSWER: "Envoyer la réponse",
    Transition.REOPEN: "Relancer la question",
    Transition.CLOSE: "Clôturer la question",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
# Transitions that send the message written in the form.
WITH_TEXT = {Transition.REQUEST_INFO, Transition.PROVIDE_INFO, Transition.ANSWER, Transition.REOPEN}


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _employer_only(request: HttpRequest) -> None:
    if request.user.role != Role.EMPLOYER:
        raise PermissionDenied("Cette page est réservée aux comptes employeurs.")


def _readers_only(request: HttpRequest) -> None:
    if not is_centre_reader(request.user):
        raise PermissionDenied("Cette page est réservée aux conseillers du centre RH et à la coordination.")


# --- the company ------------------------------------------------------------------------------


def employer_register(request: HttpRequest) -> HttpResponse:
    _employer_only(request)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = register_employer(request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Votre entreprise {employer.name} est enregistrée.")
            return redirect("web:hrdesk_casefile", employer_id=employer.pk)
    return render(
        request,
        "web/hrdesk/employer_form.html",
        {"form": form, "companies": request.user.employers.all(), "page_title": "Enregistrer mon entreprise"},
    )


def casefile(request: HttpRequest, employer_id: int) -> HttpResponse:
    employer = Employer.objects.select_related("commune").filter(pk=employer_id).first()
    if employer is None or not can_open_employer(request.user, employer):
        raise Http404("Aucune entreprise de votre périmètre ne porte ce numéro.")
    now = timezone.now()
    questions = list(employer.hr_questions.select_related("assigned_to").order_by("-asked_at"))
    return render(
        request,
        "web/hrdesk/casefile.html",
        {
            "employer": employer,
            "rows": [{"question": q, "late": q.is_overdue(now)} for q in questions],
            "sections": sections_for(employer, request.user),
            "is_member": request.user.role == Role.EMPLOYER,
            "page_title": f"Dossier de l'entreprise {employer.name}",
        },
    )


# --- questions --------------------------------------------------------------------------------


def question_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    if user.role == Role.EMPLOYER:
        questions = HrQuestion.objects.visible_to(user).select_related("employer").order_by("-asked_at")
        rows = [{"question": q, "late": q.is_overdue(now)} for q in questions[:200]]
        return render(
            request,
            "web/hrdesk/question_list_employer.html",
            {"rows": rows, "has_company": user.employers.exists(), "page_title": "Mes questions RH"},
        )
    _readers_only(request)
    form = InboxFilter(request.GET or None)
    questions = HrQuestion.objects.open().select_related("employer", "assigned_to")
    scope_all = not is_advisor(user)
    if form.is_valid():
        scope_all = scope_all or form.cleaned_data["scope"] == "toutes"
        if form.cleaned_data["theme"]:
            questions = questions.filter(theme=form.cleaned_data["theme"])
        if form.cleaned_data["late"]:
            questions = questions.overdue(now)
    if not scope_all:
        questions = questions.filter(pk__in=HrQuestion.objects.inbox_for(user).values("pk"))
    rows = [{"question": q, "late": q.is_overdue(now)} for q in questions[:300]]
    # Late first, then by deadline.
    rows.sort(key=lambda r: (not r["late"], r["question"].due_at, r["question"].pk))
    return render(
        request,
        "web/hrdesk/inbox.html",
        {
            "rows": rows,
            "form": form,
            "late_count": sum(r["late"] for r in rows),
            "scope_all": scope_all,
            "page_title": "Questions des employeurs",
        },
    )


def question_create(request: HttpRequest) -> HttpResponse:
    _employer_only(request)
    employers = request.user.employers.order_by("name")
    if not employers.exists():
        messages.info(request, "Enregistrez d'abord votre entreprise pour poser une question au centre RH.")
        return redirect("web:hrdesk_employer_register")
    form = QuestionForm(request.POST or None, request.FILES or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = ask_question(
                form.only_employer or data["employer"],
                by=request.user,
                theme=data["theme"],
                subject=data["subject"],
                body=data["body"],
                files=data["attachments"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                "Question envoyée au centre RH : première réponse attendue avant le "
                f"{timezone.localtime(question.due_at):%d/%m/%Y à %H:%M}.",
            )
            return redirect("web:hrdesk_question_detail", question_id=question.pk)
    return render(request, "web/hrdesk/question_form.html", {"form": form, "page_title": "Poser une question RH"})


def _library_context(request: HttpRequest, question: HrQuestion) -> dict:
    search = LibrarySearchForm(request.GET or None, initial={"theme": question.theme})
    query = theme = ""
    if search.is_valid():
        query = search.cleaned_data["q"]
        theme = search.cleaned_data["theme"] if "theme" in request.GET else question.theme
    else:
        theme = question.theme
    return {"search": search, "library": search_answers(query, theme=theme, limit=8), "library_query": query}


def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = (
        HrQuestion.objects.visible_to(request.user)
        .select_related("employer", "asked_by", "assigned_to")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise Http404("Aucune question de votre périmètre ne porte ce numéro.")
    side = side_of(request.user, question)
    if request.method == "POST":
        if side is None:
            raise PermissionDenied("Vous pouvez lire cette question, pas la traiter.")
        library_answer = None
        if request.POST.get("library_answer", "").isdigit():
            library_answer = Answer.objects.filter(pk=int(request.POST["library_answer"])).first()
        try:
            transition(
                question,
                request.POST.get("transition", ""),
                by=request.user,
                text=request.POST.get("text", ""),
                files=request.FILES.getlist("attachments"),
                library_answer=library_answer,
            )
        except (ValueError, IllegalTransition) as exc:
            messages.error(request, str(exc) if isinstance(exc, IllegalTransition) else "Action inconnue.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Question mise à jour.")
        return redirect("web:hrdesk_question_detail", question_id=question.pk)
    now = timezone.now()
    actions = allowed(question.state, side) if side else []
    context = {
        "question": question,
        "late": question.is_overdue(now),
        "side": side.value if side else "",
        "text_actions": [(t.value, TRANSITION_LABELS[t]) for t in actions if t in WITH_TEXT],
        "plain_actions": [(t.value, TRANSITION_LABELS[t]) for t in actions if t not in WITH_TEXT],
        "thread": question.messages.select_related("author", "library_answer").prefetch_related("attachments"),
        # The history (who did what, escalations) is the centre's working view.
        "events": question.events.select_related("actor") if is_centre_reader(request.user) else [],
        "page_title": f"Question RH n° {question.pk}",
        "inserted": None,
        "draft": "",
    }
    if side is Side.ADVISOR and Transition.ANSWER in actions:
        context.update(_library_context(request, question))
        raw = request.GET.get("reponse", "")
        inserted = Answer.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if inserted is not None:
            sources = "\n".join(f"- {line}" for line in inserted.source_lines)
            context["inserted"] = inserted
            context["draft"] = inserted.body + (f"\n\nSources :\n{sources}" if sources else "")
        if request.htmx and "q" in request.GET:
            return render(request, "web/hrdesk/_library_results.html", context)
    return render(request, "web/hrdesk/question_detail.html", context)


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    try:
        attachment, content = open_attachment(request.user, attachment_id)
    except (HrAttachment.DoesNotExist, FileNotFoundError) as exc:
        raise Http404("Aucune pièce jointe de votre périmètre ne porte ce numéro.") from exc
    response = HttpResponse(content, content_type=attachment.content_type)
    extension = EXTENSIONS.get(attachment.content_type, "")
    # The stored type decides the name: the uploader's file name is shown on the page, never trusted here.
    response["Content-Disposition"] = (
        f'attachment; filename="question-{attachment.question_id}-piece-{attachment.pk}{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the answers library ----------------------------------------------------------------------


def library(request: HttpRequest) -> HttpResponse:
    _readers_only(request)
    form = LibrarySearchForm(request.GET or None)
    query = theme = ""
    if form.is_valid():
        query, theme = form.cleaned_data["q"], form.cleaned_data["theme"]
    context = {
        "form": form,
        "answers": search_answers(query, theme=theme, limit=100),
        "query": query,
        "can_write": is_advisor(request.user),
        "page_title": "Réponses types du centre RH",
    }
    if request.htmx:
        return render(request, "web/hrdesk/_library_table.html", context)
    return render(request, "web/hrdesk/library.html", context)


def answer_create(request: HttpRequest) -> HttpResponse:
    if not is_advisor(request.user):
        raise PermissionDenied("Seul un conseiller du centre rédige les réponses types.")
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = save_answer(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Réponse type ajoutée à la bibliothèque.")
            return redirect("web:hrdesk_answer_detail", answer_id=answer.pk)
    return render(
        request, "web/hrdesk/answer_form.html", {"form": form, "answer": None, "page_title": "Nouvelle réponse type"}
    )


def answer_detail(request: HttpRequest, answer_id: int) -> HttpResponse:
    _readers_only(request)
    answer = Answer.objects.select_related("updated_by").filter(pk=answer_id).first()
    if answer is None:
        raise Http404("Aucune réponse type ne porte ce numéro.")
    return render(
        request,
        "web/hrdesk/answer_detail.html",
        {
            "answer": answer,
            "versions": answer.versions.select_related("updated_by"),
            "can_write": is_advisor(request.user),
            "page_title": answer.title,
        },
    )


def answer_edit(request: HttpRequest, answer_id: int) -> HttpResponse:
    if not is_advisor(request.user):
        raise PermissionDenied("Seul un conseiller du centre améliore les réponses types.")
    answer = Answer.objects.filter(pk=answer_id).first()
    if answer is None:
        raise Http404("Aucune réponse type ne porte ce numéro.")
    initial = {"theme": answer.theme, "title": answer.title, "body": answer.body, "sources": answer.sources}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            updated = save_answer(by=request.user, answer=answer, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Réponse type enregistrée (version {updated.version}).")
            return redirect("web:hrdesk_answer_detail", answer_id=answer.pk)
    return render(
        request,
        "web/hrdesk/answer_form.html",
        {"form": form, "answer": answer, "page_title": f"Améliorer « {answer.title} »"},
    )


# --- service-level statistics -----------------------------------------------------------------


def stats(request: HttpRequest) -> HttpResponse:
    _readers_only(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period(timezone.localdate())
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rates = HrQuestion.objects.first_answer_rates(since, until, timezone.now())
    return render(
        request,
        "web/hrdesk/stats.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rates": rates,
            "themes": dict(HrTheme.choices),
            "open_count": HrQuestion.objects.open().count(),
            "late_count": HrQuestion.objects.overdue(timezone.now()).count(),
            "page_title": "Délais de réponse du centre RH",
        },
    )
