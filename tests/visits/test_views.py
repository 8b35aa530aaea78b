import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_on_the_bus_the_stop_defaults_to_the_persons_commune(verified_client, bus_agent, sebastien):
    page = verified_client(bus_agent).get(reverse("web:visit_create"), {"personne": sebastien.pk})
    assert page.context["form"]["place_commune"].value() == sebastien.commune_id
