"""Pages of the job offers: the employer's offers, the agents' search near a commune or a person."""

import pytest
from django.urls import reverse

from carte_blanche.jobs.models import JobOffer
from carte_blanche.jobs.states import State
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.territory.models import Commune
from carte_blanche.territory.routing import commune_distance_km
from tests.jobs.conftest import make_offer

pytestmark = pytest.mark.django_db


def _distances(response) -> list[float]:
    return [item.distance_km for item in response.context["results"]]


# --- employers and HR advisors -------------------------------------------------------------------


def test_the_employer_sees_only_its_own_company_offers(verified_client, employer, company, other_company, hr_advisor):
    theirs = make_offer(other_company, hr_advisor, publish_it=True, title="Boulanger de nuit")
    client = verified_client(employer)
    page = client.get(reverse("web:job_offer_list"))
    assert page.status_code == 200
    assert "Auxiliaire de vie à domicile" in page.content.decode()
    assert "Boulanger de nuit" not in page.content.decode()
    assert {o.employer_id for o in page.context["offers"]} == {company.pk}
    assert client.get(reverse("web:job_offer_detail", args=[theirs.pk])).status_code in (403, 404)
    assert client.get(reverse("web:job_offer_edit", args=[theirs.pk])).status_code in (403, 404)
    response = client.post(reverse("web:job_offer_transition", args=[theirs.pk]), {"transition": "withdraw"})
    assert response.status_code in (403, 404)
    assert JobOffer.objects.get(pk=theirs.pk).status is State.PUBLISHED
    assert client.get(reverse("web:job_offer_create") + f"?entreprise={other_company.pk}").status_code == 404


def test_the_hr_advisor_sees_every_company(verified_client, hr_advisor, other_company):
    make_offer(other_company, hr_advisor, title="Boulanger de nuit")
    body = verified_client(hr_advisor).get(reverse("web:job_offer_list")).content.decode()
    assert "Boulanger de nuit" in body and "Auxiliaire de vie à domicile" in body


def test_the_employer_creates_publishes_and_fills_an_offer(verified_client, employer, company):
    client = verified_client(employer)
    form = client.get(reverse("web:job_offer_create"))
    assert form.status_code == 200
    assert form.context["form"].initial["commune"] == company.commune_id  # the employer's commune by default
    data = {
        "title": "Secrétaire à mi-temps",
        "description": "Accueil téléphonique, plannings des intervenantes.",
        "contract_kind": "cdd",
        "duration_months": "8",
        "part_time": "on",
        "weekly_hours": "17.5",
        "work_days": ["mon", "tue", "thu"],
        "start_time": "08:30",
        "end_time": "14:30",
        "commune": str(Commune.objects.by_insee("46148").pk),
        "salary_min": "900",
        "positions": "1",
    }
    response = client.post(reverse("web:job_offer_create") + f"?entreprise={company.pk}", data)
    offer = JobOffer.objects.get(title="Secrétaire à mi-temps")
    assert response.status_code == 302 and offer.status is State.DRAFT
    assert offer.work_days == ["mon", "tue", "thu"] and offer.commune.insee_code == "46148"
    detail = client.get(reverse("web:job_offer_detail", args=[offer.pk])).content.decode()
    assert "Lundi, mardi et jeudi, de 8 h 30 à 14 h 30" in detail and "Publier l&#x27;offre" in detail
    client.post(reverse("web:job_offer_transition", args=[offer.pk]), {"transition": "publish"})
    assert JobOffer.objects.get(pk=offer.pk).status is State.PUBLISHED
    client.post(reverse("web:job_offer_transition", args=[offer.pk]), {"transition": "mark_filled"})
    assert JobOffer.objects.get(pk=offer.pk).status is State.FILLED
    # A forbidden move is refused with a message, nothing changes.
    refused = client.post(reverse("web:job_offer_transition", args=[offer.pk]), {"transition": "publish"}, follow=True)
    assert "impossible" in refused.content.decode()
    assert JobOffer.objects.get(pk=offer.pk).status is State.FILLED
    assert client.get(reverse("web:job_offer_edit", args=[offer.pk])).status_code == 302


def test_an_incoherent_offer_is_shown_again_with_its_errors(verified_client, employer, company):
    client = verified_client(employer)
    response = client.post(
        reverse("web:job_offer_create"),
        {"title": "Poste", "description": "x", "contract_kind": "cdd", "commune": company.commune_id, "positions": 1},
    )
    assert response.status_code == 400
    assert "Indiquez la durée du CDD" in response.content.decode()


def test_the_case_file_lists_the_company_offers(verified_client, employer, company):
    body = verified_client(employer).get(reverse("web:hrdesk_casefile", args=[company.pk])).content.decode()
    assert "<h2>Offres d&#x27;emploi</h2>" in body or "<h2>Offres d'emploi</h2>" in body
    assert "Auxiliaire de vie à domicile" in body


def test_navigation_entries(verified_client, employer, hr_advisor, agent):
    for user, url in ((employer, "web:job_offer_list"), (hr_advisor, "web:job_offer_list"), (agent, "web:job_search")):
        home = verified_client(user).get(reverse("web:home")).content.decode()
        assert f'href="{reverse(url)}"' in home


# --- agents ---------------------------------------------------------------------------------------


def test_agents_search_near_a_commune_sorted_by_distance(verified_client, agent):
    client = verified_client(agent)
    assert client.get(reverse("web:job_search")).context["results"] is None
    response = client.get(reverse("web:job_search"), {"commune": "46105", "rayon": "50"})
    assert response.status_code == 200
    distances = _distances(response)
    assert len(distances) == 4 and distances == sorted(distances)
    origin = Commune.objects.by_insee("46105")
    first = response.context["results"][0]
    assert first.distance_km == pytest.approx(commune_distance_km(origin, first.offer.commune))
    body = response.content.decode()
    assert f"Trajet : {first.rounded_km} km depuis Flaujac-Poujols" in body
    # Each offer with known hours says whether a volunteer driver could take the person there.
    assert all(item.ride.known == item.offer.work_schedule.is_known for item in response.context["results"])
    assert "Trajet solidaire possible le" in body or "Pas de trajet solidaire" in body


def test_the_radius_and_filters_narrow_the_list(verified_client, agent):
    client = verified_client(agent)
    origin = Commune.objects.by_insee("46105")
    wide = client.get(reverse("web:job_search"), {"commune": "46105", "rayon": "50"}).context["results"]
    near = client.get(reverse("web:job_search"), {"commune": "46105", "rayon": "10"}).context["results"]
    assert 0 < len(near) < len(wide)
    assert all(commune_distance_km(origin, n.offer.commune) <= 10 for n in near)
    default = client.get(reverse("web:job_search"), {"commune": "46105"}).context["results"]
    assert all(n.distance_km <= 20 for n in default)
    no_licence = client.get(reverse("web:job_search"), {"commune": "46105", "rayon": "50", "sans_permis": "on"})
    assert {n.offer.licence_required for n in no_licence.context["results"]} == {False}
    part = client.get(reverse("web:job_search"), {"commune": "46105", "rayon": "50", "temps": "partiel"})
    assert {n.offer.part_time for n in part.context["results"]} == {True}
    cdd = client.get(reverse("web:job_search"), {"commune": "46105", "rayon": "50", "contrat": "cdd"})
    assert [n.offer.contract_kind for n in cdd.context["results"]] == ["cdd"]


def test_drafts_withdrawn_and_closed_offers_are_not_proposed(verified_client, agent, company, employer):
    import datetime as dt

    from carte_blanche.jobs.actions import withdraw

    make_offer(company, employer, title="Brouillon invisible")
    withdraw(make_offer(company, employer, publish_it=True, title="Offre retirée"), by=employer)
    closed = make_offer(company, employer, publish_it=True, title="Offre close")
    JobOffer.objects.filter(pk=closed.pk).update(closes_on=dt.date.today() - dt.timedelta(days=1))
    body = verified_client(agent).get(reverse("web:job_search"), {"commune": "46042", "rayon": "50"}).content.decode()
    for title in ("Brouillon invisible", "Offre retirée", "Offre close"):
        assert title not in body
    assert verified_client(agent).get(reverse("web:job_offer_detail", args=[closed.pk])).status_code == 404


def test_the_search_answers_htmx_with_the_results_only(verified_client, agent):
    response = verified_client(agent).get(
        reverse("web:job_search"), {"commune": "46105", "rayon": "50"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="resultats"') and "<html" not in body


def test_from_sarahs_file_the_list_is_centred_on_her_commune_and_the_read_is_journaled(verified_client, agent, sarah):
    before = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sarah.pk).count()
    response = verified_client(agent).get(reverse("web:job_search_for_person", args=[sarah.pk]))
    assert response.status_code == 200
    assert response.context["origin"] == sarah.commune
    assert response.context["origin"].insee_code == "46105"
    distances = _distances(response)
    assert distances and distances == sorted(distances) and max(distances) <= 20
    assert "Offres d&#x27;emploi près de Flaujac-Poujols" in response.content.decode()
    read = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sarah.pk).order_by("-seq").first()
    assert JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sarah.pk).count() == before + 1
    assert read.actor_id == agent.pk and read.purpose == "accompaniment"
    assert "contact" in read.details["granted"]


def test_the_person_file_links_to_the_offers_for_agents(verified_client, agent, sarah):
    body = verified_client(agent).get(reverse("web:person_detail", args=[sarah.pk])).content.decode()
    assert reverse("web:job_search_for_person", args=[sarah.pk]) in body


@pytest.mark.parametrize("role_fixture", ["caf_referent", "resident_sarah", "employer"])
def test_other_roles_are_refused_and_the_attempt_is_journaled(verified_client, request, sarah, role_fixture):
    user = request.getfixturevalue(role_fixture)
    before = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=sarah.pk).count()
    response = verified_client(user).get(reverse("web:job_search_for_person", args=[sarah.pk]))
    assert response.status_code == 403
    assert "Flaujac" not in response.content.decode()
    assert JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=sarah.pk).count() == before + 1


def test_a_partner_referent_and_a_resident_cannot_search(verified_client, caf_referent, resident_sarah):
    for user in (caf_referent, resident_sarah):
        assert verified_client(user).get(reverse("web:job_search"), {"commune": "46105"}).status_code == 403


def test_an_unknown_file_is_a_404(verified_client, agent):
    assert verified_client(agent).get(reverse("web:job_search_for_person", args=[999999])).status_code == 404
