"""The answers library: versions kept, usage counted, French search."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carte_blanche.employers.models import HrTheme
from carte_blanche.hrdesk.actions import save_answer, transition
from carte_blanche.hrdesk.library import search_answers
from carte_blanche.hrdesk.models import Answer
from carte_blanche.hrdesk.starter_answers import CDD_RENEWAL, STARTER_ANSWERS

pytestmark = pytest.mark.django_db


def test_the_demo_library_is_loaded(demo):
    assert Answer.objects.filter(title__in=[s.title for s in STARTER_ANSWERS]).count() == len(STARTER_ANSWERS)
    renewal = Answer.objects.get(title=CDD_RENEWAL)
    assert "L1243-13" in renewal.sources and renewal.times_used >= 1


def test_improving_keeps_the_old_version(hr_advisor, second_advisor):
    answer = save_answer(
        by=hr_advisor, theme=HrTheme.PAY, title="Heures complémentaires", body="Majorées de 10 % au moins." * 2
    )
    assert answer.version == 1 and answer.versions.count() == 1
    better = save_answer(
        by=second_advisor,
        answer=answer,
        theme=HrTheme.PAY,
        title="Heures complémentaires : majoration",
        body="Majorées de 10 % dans la limite du dixième de la durée prévue, 25 % au-delà.",
        sources="Code du travail, article L3123-29",
    )
    assert better.pk == answer.pk and better.version == 2 and better.updated_by == second_advisor
    assert list(answer.versions.values_list("version", "title")) == [
        (2, "Heures complémentaires : majoration"),
        (1, "Heures complémentaires"),
    ]
    # Saving the same text again is not a new version.
    same = save_answer(
        by=hr_advisor, answer=better, theme=better.theme, title=better.title, body=better.body, sources=better.sources
    )
    assert same.version == 2


def test_only_advisors_write_and_texts_are_checked(employer, coordinator, hr_advisor):
    for user in (employer, coordinator):
        with pytest.raises(PermissionDenied):
            save_answer(by=user, theme=HrTheme.PAY, title="Titre correct", body="x" * 30)
    with pytest.raises(ValidationError) as error:
        save_answer(by=hr_advisor, theme="", title="", body="")
    assert set(error.value.message_dict) == {"theme", "title", "body"}


def test_inserting_an_answer_counts_its_use(question, hr_advisor):
    answer = Answer.objects.get(title=CDD_RENEWAL)
    used = answer.times_used
    transition(question, "answer", by=hr_advisor, text="Adapté : " + answer.body, library_answer=answer)
    answer.refresh_from_db()
    assert answer.times_used == used + 1
    message = question.messages.get(kind="answer")
    assert message.library_answer == answer and message.library_version == answer.version


def test_search_forgives_accents_and_typos(demo):
    assert search_answers("renouvelement cdd")[0].title == CDD_RENEWAL
    assert search_answers("periode essai")[0].title.startswith("Période d'essai")
    assert search_answers("carence")[0].title.startswith("Délai de carence")
    assert all(a.theme == HrTheme.RECRUITING for a in search_answers("", theme=HrTheme.RECRUITING))
