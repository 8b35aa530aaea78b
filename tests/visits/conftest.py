import pytest

from carte_blanche.catalogue.models import Procedure


@pytest.fixture
def rsa(demo):
    """A CAF procedure."""
    return Procedure.objects.get(slug="rsa-demande")


@pytest.fixture
def carte_vitale(demo):
    """A CPAM procedure."""
    return Procedure.objects.get(slug="carte-vitale")
