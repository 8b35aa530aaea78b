"""Catalogue pages and API: public search, HTMX fragment, coordinators' versioned edits."""

import pytest
from django.urls import reverse

from carte_blanche.catalogue.loader import load_catalogue
from carte_blanche.catalogue.models import Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(small_catalogue):
    load_catalogue(small_catalogue)


def test_search_is_public_and_finds_with_a_typo(client, loaded):
    response = client.get(reverse("web:procedure_search"), {"q": "pasport"})
    assert response.status_code == 200
    assert "Demander un passeport" in response.content.decode()


def test_htmx_search_returns_the_fragment(client, loaded):
    fragment = client.get(reverse("web:procedure_search"), {"q": "passeport"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "Demander un passeport" in body and "<html" not in body


def test_empty_search_lists_themes(client, loaded):
    body = client.get(reverse("web:procedure_search")).content.decode()
    assert "Par thème" in body and "Papiers - Citoyenneté" in body


def test_detail_page(client, loaded):
    body = client.get(reverse("web:procedure_detail", args=["passeport"])).content.decode()
    assert "Justificatif de domicile" in body and "https://ants.gouv.fr" in body


def test_coordinator_edits_and_a_new_version_is_kept(verified_client, coordinator, loaded):
    client = verified_client(coordinator)
    url = reverse("web:procedure_edit", args=["passeport"])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["documents"] = "Photo d'identité\nJustificatif de domicile\nAncien passeport"
    data["keywords"] = "passeport\npasseport perdu"
    data["benefits"] = []
    data["is_active"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    passport = Procedure.objects.get(slug="passeport")
    assert passport.version == 2 and passport.documents[-1] == "Ancien passeport"
    assert "perdu" in passport.search_document
    assert "Version 2" in client.get(reverse("web:procedure_detail", args=["passeport"])).content.decode()


def test_agents_cannot_edit_the_catalogue(verified_client, agent, loaded):
    assert verified_client(agent).get(reverse("web:procedure_edit", args=["passeport"])).status_code == 403


def test_api_search_and_detail(client, loaded):
    hits = client.get("/api/v1/procedures", {"q": "carte identite"}).json()
    assert hits[0]["procedure"]["slug"] == "carte-identite"
    assert client.get("/api/v1/procedures/passeport").json()["online_url"] == "https://ants.gouv.fr"
    missing = client.get("/api/v1/procedures/nexiste-pas")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
