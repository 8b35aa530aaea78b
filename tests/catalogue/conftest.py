import pytest

SMALL = """\
[theme]
slug = "papiers"
title = "Papiers - Citoyenneté"

[[procedure]]
slug = "passeport"
title = "Demander un passeport"
operator = "{operator}"
audience = "Toute personne de nationalité française."
documents = ["Photo d'identité", "Justificatif de domicile"]
online_url = "https://ants.gouv.fr"
benefits = []
keywords = ["passeport"]

[[procedure]]
slug = "carte-identite"
title = "Demander une carte d'identité"
operator = "{operator}"
audience = "Toute personne de nationalité française."
keywords = ["CNI"]
"""


@pytest.fixture
def small_catalogue(tmp_path, demo):
    from carte_blanche.catalogue.models import Procedure
    from carte_blanche.territory.models import Operator

    # Start from an empty catalogue (inside the test's transaction) to count precisely.
    Procedure.objects.all().delete()

    folder = tmp_path / "catalogue"
    (folder / "procedures").mkdir(parents=True)
    operator = Operator.objects.order_by("slug").first().slug
    (folder / "procedures" / "papiers.toml").write_text(SMALL.format(operator=operator), encoding="utf-8")
    return folder
