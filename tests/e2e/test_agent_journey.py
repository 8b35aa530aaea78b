"""The agent polyvalent journey of the acceptance test, end to end in the browser.

An agent of the France services of Lalbenque records Sébastien's visit about his RSA after a
catalogue search with a typo, refers him to the CAF and books a slot of the CAF permanence;
the CAF referent answers; the agent is told; a referral left unanswered past its deadline
escalates; a referent of another operator sees none of it, in the pages and in the API.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, assert_accessible, login, tick

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lalbenque_agent():
    from carte_blanche.accounts.models import Role, User
    from carte_blanche.territory.models import Structure

    user = User.objects.create_user(
        "agent-lalbenque",
        password=PASSWORD,
        first_name="Margot",
        last_name="Delmas",
        email="margot.delmas@demo.carte-blanche.localhost",
        role=Role.AGENT,
        structure=Structure.objects.get(name="France services de Lalbenque"),
    )
    return user


def test_sebastiens_rsa_from_visit_to_answer(new_page, lalbenque_agent):
    from django.core import mail

    from carte_blanche.people.models import Person
    from carte_blanche.referrals.escalation import escalate_overdue
    from carte_blanche.referrals.models import Referral

    sebastien = Person.objects.get(first_names="Sébastien")
    agent = new_page()
    login(agent, "agent-lalbenque")

    # The catalogue, with a typo.
    agent.get_by_role("link", name="Démarches").first.click()
    agent.get_by_label("Une démarche, un organisme, un mot").press_sequentially("revenu solidarite activ", delay=20)
    expect(agent.locator("#resultats-demarches")).to_contain_text("revenu de solidarité active")

    # The visit.
    agent.goto(f"/personnes/{sebastien.pk}/")
    agent.get_by_role("main").get_by_role("link", name="Enregistrer une visite").click()
    agent.get_by_label("Chercher une démarche").fill("rsa")
    agent.get_by_role("button", name="Chercher").click()
    tick(agent, "Demander le revenu de solidarité active (RSA)")
    tick(agent, "Orienté vers un partenaire")
    tick(agent, "Fait avec la personne")
    agent.locator("label", has_text="15 min").click()
    agent.get_by_role("button", name="Enregistrer la visite").click()
    expect(agent.get_by_role("main")).to_contain_text("Visite enregistrée")

    # The referral to the CAF.
    agent.get_by_role("main").get_by_role("link", name="Orienter vers un partenaire").click()
    agent.get_by_role("combobox", name="Partenaire").select_option(label="CAF du Lot")
    agent.get_by_role("combobox", name="Démarche concernée").select_option(
        label="Demander le revenu de solidarité active (RSA)"
    )
    agent.get_by_role("textbox", name="La demande").fill("Plus aucune ressource depuis la fin de l'ASS.")
    agent.get_by_role("button", name="Envoyer l'orientation").click()
    expect(agent.get_by_role("main")).to_contain_text("réponse attendue le")
    referral = Referral.objects.get(person=sebastien)

    # A slot of the CAF permanence (published by the demo in Lalbenque).
    agent.get_by_role("main").get_by_role("link", name="Prendre rendez-vous").click()
    assert_accessible(agent, "prendre rendez-vous")
    agent.get_by_role("button", name="Réserver").first.click()
    expect(agent.get_by_role("main")).to_contain_text("Rendez-vous pris avec CAF du Lot")

    # Another operator sees nothing, in the pages and in the API.
    cpam = new_page()
    login(cpam, "referent-cpam")
    assert cpam.goto(f"/orientations/{referral.pk}/").status == 404
    cpam.goto("/orientations/")
    expect(cpam.get_by_role("main")).not_to_contain_text("CAYLA")
    api = cpam.request.get(f"/api/v1/persons/{sebastien.pk}?purpose=referral")
    assert api.status == 403

    # Past its deadline, the unanswered referral escalates to the CAF's referents.
    mail.outbox.clear()
    late_day = referral.deadline + dt.timedelta(days=7)
    escalated = escalate_overdue(late_day)
    assert escalated["reminded"] + escalated["manager"] == 1
    referral.refresh_from_db()
    assert referral.escalation_level >= 1
    Referral.objects.filter(pk=referral.pk).update(deadline=dt.date.today() - dt.timedelta(days=1))

    # The CAF answers from its inbox, where the late referral shows in red.
    caf = new_page()
    login(caf, "referent-caf")
    caf.get_by_role("link", name="Orientations").first.click()
    expect(caf.get_by_role("row", name="CAYLA Sébastien")).to_contain_text("en retard")
    caf.get_by_role("row", name="CAYLA Sébastien").get_by_role("link").first.click()
    caf.get_by_label("Message").fill("Droit au RSA ouvert ; rendez-vous confirmé.")
    caf.get_by_role("button", name="Répondre").click()
    expect(caf.get_by_role("main")).to_contain_text("Répondue")

    # The agent was told by e-mail; Sébastien, who prefers the phone, is on the agent's list of calls.
    from carte_blanche.messaging.models import Notification

    assert any(lalbenque_agent.email in m.to for m in mail.outbox)
    call = Notification.objects.get(person=sebastien, related_kind="referral", related_id=referral.pk)
    assert call.channel == "phone" and call.status == "to_call"
    agent.goto("/notifications/")
    expect(agent.get_by_role("main")).to_contain_text("CAYLA Sébastien")
    # The timeline shows the visit, the referral and the appointment.
    agent.goto(f"/personnes/{sebastien.pk}/")
    timeline = agent.locator("#parcours")
    expect(timeline).to_contain_text("Orientation vers CAF du Lot")
    expect(timeline).to_contain_text("Demander le revenu de solidarité active")
