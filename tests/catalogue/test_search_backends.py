"""The agents' reference queries on the real catalogue, on both search backends.

On PostgreSQL (CI) both the full-text backend and the in-memory index run and must put
an expected procedure first; on SQLite only the index runs.
"""

import pytest
from django.db import connection

from carte_blanche.catalogue.searching import search_procedures

pytestmark = pytest.mark.django_db

# query → procedures an agent would accept as the first answer
REFERENCE = {
    "pasport": {"passeport-demande"},
    "passeport": {"passeport-demande"},
    "carte grise": {"carte-grise-changement-titulaire", "carte-grise-changement-adresse"},
    "carte grize": {"carte-grise-changement-titulaire", "carte-grise-changement-adresse"},
    "allocs": {"allocations-familiales"},
    "alocs": {"allocations-familiales"},
    "mutuelle": {"complementaire-sante-solidaire"},
    "complementaire santé": {"complementaire-sante-solidaire"},
    "rsa": {"rsa-demande"},
    "carte d'identité": {"carte-identite-majeur"},
    "apl": {"aide-logement"},
    "chômage": {"inscription-france-travail"},
    "aah": {"allocation-adulte-handicape"},
    "rqth": {"rqth"},
    "apa domicile": {"apa-domicile"},
    "prime activité": {"prime-activite"},
    "titre de séjour": {"titre-sejour-premiere-demande"},
    "casier judiciaire": {"casier-judiciaire-bulletin-3"},
    "procuration vote": {"procuration-vote"},
    "déménagement": {"changement-adresse-en-ligne"},
    "chèque énergie": {"cheque-energie"},
    "retraite": {"demande-retraite", "releve-carriere"},
}


def backends():
    return ["index", "postgres"] if connection.vendor == "postgresql" else ["index"]


@pytest.mark.parametrize("query", sorted(REFERENCE))
def test_reference_query_finds_the_expected_procedure_first(demo, query):
    firsts = {}
    for backend in backends():
        hits = search_procedures(query, limit=5, backend=backend)
        assert hits, f"{backend}: nothing for {query!r}"
        firsts[backend] = hits[0].procedure.slug
        assert firsts[backend] in REFERENCE[query], f"{backend}: {query!r} → {[h.procedure.slug for h in hits]}"


def test_backends_agree_on_the_first_results(demo):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL backend needs PostgreSQL")
    for query in REFERENCE:
        index = [h.procedure.slug for h in search_procedures(query, limit=3, backend="index")]
        postgres = [h.procedure.slug for h in search_procedures(query, limit=3, backend="postgres")]
        # Each backend's first answer is among the other's first three.
        assert index[0] in postgres and postgres[0] in index, (query, index, postgres)
