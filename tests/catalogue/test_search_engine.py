"""The pure French search engine: folding, stems, typos, prefixes, ranking."""

from hypothesis import given
from hypothesis import strategies as st

from carte_blanche.catalogue.search import Document, Index, fold, stem, word_similarity, words

DOCS = [
    Document(
        1,
        "Demander un passeport",
        ["passeport biométrique", "voyage"],
        "ANTS Agence nationale des titres sécurisés",
        "Papiers",
    ),
    Document(
        2,
        "Immatriculer un véhicule (carte grise)",
        ["carte grise", "certificat d'immatriculation"],
        "ANTS",
        "Transports",
    ),
    Document(3, "Demander la complémentaire santé solidaire", ["mutuelle", "CMU", "C2S"], "CPAM", "Social - Santé"),
    Document(4, "Demander une aide au logement", ["allocs", "APL", "alloc logement"], "CAF", "Logement"),
    Document(5, "Demander la carte nationale d'identité", ["CNI", "carte d'identité"], "ANTS", "Papiers"),
    Document(6, "Déclarer ses revenus", ["impôts", "déclaration"], "DGFiP Finances publiques", "Argent"),
]
INDEX = Index.build(DOCS)


def top(query):
    hits = INDEX.search(query)
    return hits[0].id if hits else None


def test_fold_removes_accents_case_and_ligatures():
    assert fold("Œuvre Élève À") == "oeuvre eleve a"


def test_plural_and_singular_share_a_stem():
    assert stem("allocations") == stem("allocation")
    assert stem("logements") == stem("logement")


def test_accents_do_not_matter():
    assert top("complementaire sante") == 3
    assert top("DÉCLARER REVENUS") == 6


def test_small_typos_are_forgiven():
    assert top("pasport") == 1
    assert top("mutuele") == 3


def test_words_people_use():
    assert top("allocs") == 4
    assert top("carte grise") == 2
    assert top("mutuelle") == 3
    assert top("impots") == 6


def test_unfinished_word_matches_by_prefix():
    assert top("passep") == 1


def test_documents_matching_more_words_rank_first():
    hits = INDEX.search("carte identité")
    assert hits[0].id == 5 and hits[0].matched == 2


def test_stopwords_alone_find_nothing():
    assert INDEX.search("le la de pour") == []
    assert words("Je voudrais faire ma carte") == ["voudrais", "carte"]


def test_nonsense_finds_nothing():
    assert INDEX.search("zzzqqq") == []


@given(st.text(max_size=60))
def test_any_input_is_safe(query):
    hits = INDEX.search(query)
    assert len({h.id for h in hits}) == len(hits)
    assert all(h.score > 0 for h in hits)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_a_word_is_fully_similar_to_itself(word):
    assert word_similarity(word, word) == 1.0
