from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carte_blanche.employers.actions import register_employer
from carte_blanche.employers.identifiers import idcc_error, naf_error, siret_error
from carte_blanche.employers.models import AdvisorProfile, Employer, HrTheme
from carte_blanche.territory.models import Commune


@pytest.mark.parametrize("siret", ["84612345300017", "846 123 453 00017", "73282932000074", "35600000000048"])
def test_valid_sirets(siret):
    assert siret_error(siret) is None


@pytest.mark.parametrize(
    ("siret", "words"),
    [
        ("8461234530001", "14 chiffres"),
        ("84612345300018", "clé de contrôle"),
        ("84612345400017", "SIREN"),
        ("ABCDEFGHIJKLMN", "14 chiffres"),
    ],
)
def test_invalid_sirets_say_why(siret, words):
    assert words in siret_error(siret)


def test_naf_and_idcc():
    assert naf_error("88.10A") is None and naf_error("8810A")
    assert idcc_error("2941") is None and idcc_error("") is None and idcc_error("29410")


@pytest.mark.django_db
def test_the_demo_employer_and_advisor_exist(demo):
    employer = Employer.objects.get(siret="84612345300017")
    assert employer.members.filter(username="employeur").exists()
    assert AdvisorProfile.objects.get(user__username="conseiller-rh").covers(HrTheme.CONTRACT, "88.10A", 8)


@pytest.mark.django_db
def test_register_checks_every_field_and_saves_nothing_when_wrong(employer):
    cahors = Commune.objects.by_insee("46042")
    with pytest.raises(ValidationError) as caught:
        register_employer(
            employer, siret="12345678901234", name="Boulangerie", naf_code="1071C", headcount=14, commune=cahors
        )
    assert {"siret", "naf_code", "headcount"} <= set(caught.value.message_dict)
    assert not Employer.objects.filter(name="Boulangerie").exists()
    bakery = register_employer(
        employer, siret="73282932000074", name="Boulangerie", naf_code="10.71C", headcount=3, commune=cahors
    )
    assert bakery.members.filter(pk=employer.pk).exists()


@pytest.mark.django_db
def test_only_employer_accounts_register(agent):
    with pytest.raises(PermissionDenied):
        register_employer(
            agent,
            siret="73282932000074",
            name="X",
            naf_code="10.71C",
            headcount=1,
            commune=Commune.objects.by_insee("46042"),
        )
