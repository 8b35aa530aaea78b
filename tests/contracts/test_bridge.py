"""The bridge to the employee: an agent links the draft to her file (with her consent), then checks her rights."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from carte_blanche.contracts import bridge
from carte_blanche.contracts.actions import link_person
from carte_blanche.contracts.models import ContractDraft
from carte_blanche.rights.prefill import current_month
from tests.contracts.conftest import replacement_cdd, sarah_cdi

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_net(monkeypatch):
    """The page tests do not run OpenFisca: the net salary estimate is tested on its own below."""
    monkeypatch.setattr(bridge, "estimate_net", lambda draft, month: 1029.07)


def revoke_consents(person):
    from carte_blanche.consent.models import Consent

    Consent.objects.filter(person=person).update(revoked_at=timezone.now())


def test_the_agent_links_the_draft_with_the_code_sarah_gives(verified_client, agent, sarah, sarah_contract):
    client = verified_client(agent)
    page = client.get(reverse("web:contract_link") + f"?personne={sarah.pk}")
    assert page.status_code == 200 and f'value="{sarah.pk}"' in page.content.decode()
    code = f"{sarah_contract.share_code[:4].lower()}-{sarah_contract.share_code[4:]}"  # as typed from paper
    response = client.post(reverse("web:contract_link"), {"personne": sarah.pk, "code": code})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:contract_detail", args=[sarah_contract.pk])
    sarah_contract.refresh_from_db()
    assert sarah_contract.person == sarah and sarah_contract.linked_by == agent
    detail = html.unescape(client.get(response["Location"]).content.decode())
    assert "Vérifier les droits de la salariée / du salarié" in detail
    assert f"{reverse('web:rights_check_create', args=[sarah.pk])}?contrat={sarah_contract.pk}" in detail
    assert "Télécharger le contrat" not in detail  # the agent reads; the company writes


def test_the_rights_check_is_prefilled_from_the_contract(verified_client, agent, sarah, sarah_contract, quick_net):
    link_person(agent, sarah_contract.share_code, sarah.pk)
    client = verified_client(agent)
    response = client.get(reverse("web:rights_check_create", args=[sarah.pk]) + f"?contrat={sarah_contract.pk}")
    assert response.status_code == 200
    members = response.context["formset"].initial
    applicant = next(m for m in members if m["role"] == "demandeur")
    assert applicant["activity"] == "actif"
    assert applicant["work_time"] == "temps_partiel"
    assert applicant["monthly_hours"] == 104.0
    assert applicant["contract"] == "cdi"
    assert applicant["salaire_m1"] == applicant["salaire_m3"] == 1029.07
    assert "estimé avec OpenFisca" in html.unescape(response.content.decode())


def test_a_contract_of_another_file_is_not_found(verified_client, agent, sarah, sebastien, sarah_contract):
    link_person(agent, sarah_contract.share_code, sarah.pk)
    client = verified_client(agent)
    url = reverse("web:rights_check_create", args=[sebastien.pk]) + f"?contrat={sarah_contract.pk}"
    assert client.get(url).status_code in (403, 404)
    unlinked = ContractDraft.objects.create(
        employer=sarah_contract.employer, kind="cdi", data={}, created_by=sarah_contract.created_by
    )
    url = reverse("web:rights_check_create", args=[sarah.pk]) + f"?contrat={unlinked.pk}"
    assert client.get(url).status_code == 404


def test_without_consent_the_link_and_the_check_are_refused(verified_client, agent, sarah, sarah_contract):
    revoke_consents(sarah)
    with pytest.raises(PermissionDenied):
        link_person(agent, sarah_contract.share_code, sarah.pk)
    client = verified_client(agent)
    response = client.post(reverse("web:contract_link"), {"personne": sarah.pk, "code": sarah_contract.share_code})
    assert response.status_code == 400 and "consentement" in html.unescape(response.content.decode())
    sarah_contract.refresh_from_db()
    assert sarah_contract.person is None


def test_consent_withdrawn_after_the_link_closes_the_bridge(verified_client, agent, sarah, sarah_contract):
    link_person(agent, sarah_contract.share_code, sarah.pk)
    revoke_consents(sarah)
    client = verified_client(agent)
    assert client.get(reverse("web:contract_detail", args=[sarah_contract.pk])).status_code == 403
    url = reverse("web:rights_check_create", args=[sarah.pk]) + f"?contrat={sarah_contract.pk}"
    assert client.get(url).status_code == 403


def test_only_agents_link_and_a_draft_is_linked_once(agent, hr_advisor, employer, sarah, sebastien, sarah_contract):
    for user in (hr_advisor, employer):
        with pytest.raises(PermissionDenied):
            link_person(user, sarah_contract.share_code, sarah.pk)
    with pytest.raises(ContractDraft.DoesNotExist):
        link_person(agent, "ZZZZZZZZ", sarah.pk)
    link_person(agent, sarah_contract.share_code, sarah.pk)
    with pytest.raises(PermissionDenied):
        link_person(agent, sarah_contract.share_code, sebastien.pk)


def test_the_net_salary_is_estimated_with_openfisca():
    month = current_month(timezone.localdate())
    net = bridge.estimate_net(sarah_cdi(), month)
    assert 0.74 * 1300 < net < 0.84 * 1300
    values = bridge.applicant_from_contract(replacement_cdd(), month)
    assert values["contract"] == "cdd" and values["work_time"] == "temps_plein" and values["monthly_hours"] is None


def test_with_the_contract_sarahs_check_shows_her_prime_d_activite(agent, sarah, sarah_contract):
    """The acceptance journey: the part-time CDI, Sarah's consent, and her probable prime d'activité."""
    from carte_blanche.rights import engine
    from carte_blanche.rights.actions import read_for_check, run_check
    from carte_blanche.rights.engine.serialize import household_from_dict
    from carte_blanche.rights.prefill import build_situation, facts_from_record

    link_person(agent, sarah_contract.share_code, sarah.pk)
    month = current_month(timezone.localdate())
    situation = build_situation(facts_from_record(read_for_check(agent, sarah.pk)), None, month)
    values = bridge.applicant_from_contract(sarah_contract.draft, month)
    salary = values.pop("salary")
    applicant = next(m for m in situation["members"] if m["role"] == "demandeur")
    applicant.update(values, incomes=[{**salary, "last_12_months": salary["last_3_months"][0] * 12}])
    situation["housing"].update(status="locataire_vide", rent=480.0)
    check = run_check(agent, sarah, household_from_dict(situation))
    ppa = next(b for b in check.check_result.benefits if b.code == "ppa")
    assert ppa.status is engine.Status.ELIGIBLE and ppa.amount > 0
