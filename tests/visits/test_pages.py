"""The visit form, its procedure suggestions, the day's list and the "Parcours" section of a file."""

import pytest
from django.urls import reverse

from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.territory.models import Commune
from carte_blanche.visits.actions import record_visit
from carte_blanche.visits.models import Channel, Outcome, Visit

pytestmark = pytest.mark.django_db

NEW = "/visites/nouvelle/"


def _post(client, **data):
    payload = {"channel": "in_person", "outcomes": ["answered"], "duration": "10"} | data
    return client.post(NEW, payload)


def test_urls():
    assert reverse("web:visit_create") == NEW
    assert reverse("web:visit_list") == "/visites/"
    assert reverse("web:visit_procedures") == "/visites/demarches/"


def test_form_for_a_person_reads_the_file_for_accompaniment(verified_client, agent, sebastien):
    client = verified_client(agent)
    response = client.get(NEW, {"personne": sebastien.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sébastien Cayla" in body
    assert f'name="personne" value="{sebastien.pk}"' in body
    assert 'id="id_channel_0" required checked' in body
    entry = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ, person_id=sebastien.pk).order_by("-seq")[0]
    assert entry.actor_id == agent.pk and entry.purpose == "accompaniment"


def test_anonymous_form_and_unknown_person(verified_client, agent):
    client = verified_client(agent)
    response = client.get(NEW)
    assert response.status_code == 200 and "Visite anonyme" in response.content.decode()
    assert client.get(NEW, {"personne": 999999}).status_code == 404
    assert client.get(NEW, {"personne": "abc"}).status_code == 404


@pytest.mark.parametrize("username", ["referent-caf", "coordination", "sarah", "coord-mobilite", "conducteur"])
def test_only_agents_open_the_visit_pages(demo, verified_client, username, sebastien):
    from carte_blanche.accounts.models import User

    client = verified_client(User.objects.get(username=username))
    assert client.get(NEW, {"personne": sebastien.pk}).status_code == 403
    assert client.get("/visites/").status_code == 403
    assert client.get("/visites/demarches/", {"q": "rsa"}).status_code == 403
    assert _post(client, personne=sebastien.pk).status_code == 403
    assert not Visit.objects.exists()


def test_posting_a_visit_goes_back_to_the_file_and_shows_it_in_the_timeline(verified_client, agent, sebastien, rsa):
    client = verified_client(agent)
    response = _post(
        client,
        personne=sebastien.pk,
        procedures=[rsa.pk],
        outcomes=["referred", "done_with"],
        duration="15",
        note="Dossier à compléter",
    )
    assert response.status_code == 302
    assert response.url == reverse("web:person_detail", args=[sebastien.pk]) + "#parcours"
    visit = Visit.objects.get()
    assert visit.person == sebastien and visit.minutes == 15 and visit.structure == agent.structure
    assert sorted(visit.outcomes) == ["done_with", "referred"]
    assert list(visit.procedures.all()) == [rsa]
    page = client.get(response.url).content.decode()
    assert "Visite enregistrée dans le parcours" in page
    assert 'id="titre-parcours"' in page and "Demander le revenu de solidarité active (RSA)" in page
    assert page.index("titre-parcours") < page.index("titre-consentements")


def test_a_typed_duration_wins_over_the_quick_buttons(verified_client, agent):
    client = verified_client(agent)
    assert _post(client, duration="5", minutes="42").status_code == 302
    assert Visit.objects.get().minutes == 42


def test_anonymous_visit_goes_home_with_a_message(verified_client, agent):
    client = verified_client(agent)
    response = _post(client, channel="phone", outcomes=["answered"], duration="5")
    assert response.status_code == 302 and response.url == reverse("web:home")
    visit = Visit.objects.get()
    assert visit.person is None and visit.channel == Channel.PHONE
    assert "Visite anonyme enregistrée" in client.get(response.url).content.decode()


def test_invalid_visit_shows_french_errors_and_creates_nothing(verified_client, agent, sebastien):
    client = verified_client(agent)
    journal_before = JournalEntry.objects.filter(event=JournalEvent.VISIT_RECORDED).count()
    response = client.post(NEW, {"personne": sebastien.pk, "channel": "in_person", "minutes": "500"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cochez au moins une suite donnée à la visite." in body
    assert "La durée ne peut dépasser 240 minutes." in body
    assert not Visit.objects.exists()
    assert JournalEntry.objects.filter(event=JournalEvent.VISIT_RECORDED).count() == journal_before

    response = client.post(NEW, {"channel": "in_person", "outcomes": ["answered"]})
    assert "Indiquez le temps passé" in response.content.decode()
    assert not Visit.objects.exists()


def test_an_unknown_procedure_is_refused(verified_client, agent):
    client = verified_client(agent)
    response = _post(client, procedures=["999999"])
    assert response.status_code == 200
    assert "Cette démarche n&#x27;existe pas ou n&#x27;est plus en vigueur." in response.content.decode()
    assert not Visit.objects.exists()


def test_search_button_without_javascript_redraws_the_form_with_suggestions(verified_client, agent, carte_vitale):
    client = verified_client(agent)
    response = client.post(
        NEW, {"action": "chercher", "q": "rsa", "procedures": [carte_vitale.pk], "outcomes": ["done_for"]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Demander le revenu de solidarité active (RSA) (CAF du Lot)" in body
    assert "Commander ou remplacer sa carte Vitale" in body
    assert "Cochez au moins une suite" not in body and "Indiquez le temps passé" not in body
    assert not Visit.objects.exists()


def test_htmx_fragment_keeps_the_chosen_procedures_and_suggests_others(verified_client, agent, rsa, carte_vitale):
    client = verified_client(agent)
    response = client.get("/visites/demarches/", {"q": "rsa", "procedures": [carte_vitale.pk]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "démarches pour « rsa »" in body or "démarche pour « rsa »" in body
    assert f'value="{rsa.pk}"' in body
    assert f'value="{carte_vitale.pk}"' in body and "checked" in body
    assert body.count("checked") == 1
    empty = client.get("/visites/demarches/", {"q": "zzzzqqq"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Aucune démarche ne correspond" in empty
    assert client.post("/visites/demarches/", {"q": "rsa"}).status_code == 405


def test_the_bus_agent_names_the_commune_of_the_stop(verified_client, bus_agent, sebastien):
    client = verified_client(bus_agent)
    assert "Commune de l&#x27;arrêt du bus" in client.get(NEW).content.decode()
    response = _post(client, personne=sebastien.pk)
    assert "Indiquez la commune où le bus était arrêté." in response.content.decode()
    lherm = Commune.objects.get(insee_code="46171")
    assert _post(client, personne=sebastien.pk, place_commune=lherm.pk).status_code == 302
    assert Visit.objects.get().place_commune == lherm


def test_person_file_offers_the_button_to_agents_only(verified_client, agent, caf_referent, sarah):
    page = verified_client(agent).get(reverse("web:person_detail", args=[sarah.pk])).content.decode()
    assert f"{NEW}?personne={sarah.pk}" in page
    page = verified_client(caf_referent).get(reverse("web:person_detail", args=[sarah.pk])).content.decode()
    assert NEW not in page


def test_timeline_on_the_file_per_role(verified_client, agent, caf_referent, resident_sarah, sarah, rsa, carte_vitale):
    for procedures, note in (([rsa], "note caf"), ([carte_vitale], "note cpam")):
        record_visit(
            by=agent,
            person=sarah,
            structure=agent.structure,
            channel=Channel.IN_PERSON,
            procedures=procedures,
            outcomes=[Outcome.DONE_FOR],
            minutes=10,
            note=note,
        )
    url = reverse("web:person_detail", args=[sarah.pk])
    as_agent = verified_client(agent).get(url).content.decode()
    assert "carte Vitale" in as_agent and "RSA" in as_agent and "note cpam" in as_agent
    as_caf = verified_client(caf_referent).get(url).content.decode()
    assert 'id="titre-parcours"' in as_caf and "RSA" in as_caf
    assert "carte Vitale" not in as_caf and "note" not in as_caf.split('id="titre-parcours"')[1].split("</section>")[0]
    as_sarah = verified_client(resident_sarah).get(url).content.decode()
    assert "carte Vitale" in as_sarah and "note caf" in as_sarah


def test_visits_of_the_day_list_with_figures_and_constant_queries(
    verified_client, agent, bus_agent, sebastien, rsa, django_assert_max_num_queries
):
    client = verified_client(agent)

    def visit(person=None, outcomes=(Outcome.ANSWERED,), by=agent):
        record_visit(
            by=by,
            person=person,
            structure=by.structure,
            channel=Channel.IN_PERSON,
            procedures=[rsa],
            outcomes=list(outcomes),
            minutes=10,
        )

    visit(sebastien, (Outcome.REFERRED, Outcome.DONE_WITH))
    visit()
    visit(by=bus_agent)  # another structure: not listed
    client.get("/visites/")  # warm the session and caches
    with django_assert_max_num_queries(25) as few:
        response = client.get("/visites/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "dont 1 anonyme" in body and "20 min" in body
    assert f"Dossier n° {sebastien.pk}" in body and "Cayla" not in body
    for _ in range(5):
        visit(sebastien)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/visites/").status_code == 200
