"""Loading the catalogue: all or nothing, versions, coordinators' edits kept."""

import pytest
from django.core.management import CommandError, call_command

from carte_blanche.catalogue.actions import update_procedure
from carte_blanche.catalogue.loader import load_catalogue
from carte_blanche.catalogue.models import Procedure, ProcedureRevision, RevisionSource

pytestmark = pytest.mark.django_db


def test_load_then_reload_unchanged(small_catalogue):
    first = load_catalogue(small_catalogue)
    again = load_catalogue(small_catalogue)
    assert first.created == 2 and again.unchanged == 2 and again.created == again.updated == 0
    passport = Procedure.objects.get(slug="passeport")
    assert passport.version == 1 and passport.revisions.count() == 1
    assert "passeport" in passport.search_document


def test_changed_entry_gets_a_new_version(small_catalogue):
    load_catalogue(small_catalogue)
    path = small_catalogue / "procedures" / "papiers.toml"
    path.write_text(path.read_text().replace("Demander un passeport", "Demander ou renouveler un passeport"))
    report = load_catalogue(small_catalogue)
    passport = Procedure.objects.get(slug="passeport")
    assert report.updated == 1 and passport.version == 2
    assert passport.revisions.first().data["title"] == "Demander ou renouveler un passeport"


def test_a_coordinators_edit_survives_a_reload_of_an_unchanged_file(small_catalogue, coordinator):
    load_catalogue(small_catalogue)
    passport = Procedure.objects.get(slug="passeport")
    update_procedure(passport, by=coordinator, changes={"typical_delay": "3 à 6 semaines à Cahors"})
    load_catalogue(small_catalogue)
    passport.refresh_from_db()
    assert passport.typical_delay == "3 à 6 semaines à Cahors" and passport.version == 2
    assert passport.revisions.first().source == RevisionSource.UI


def test_only_coordinators_edit(small_catalogue, agent):
    from django.core.exceptions import PermissionDenied

    load_catalogue(small_catalogue)
    with pytest.raises(PermissionDenied):
        update_procedure(Procedure.objects.get(slug="passeport"), by=agent, changes={"title": "x"})


def test_an_entry_removed_from_the_files_is_withdrawn_not_deleted(small_catalogue):
    load_catalogue(small_catalogue)
    path = small_catalogue / "procedures" / "papiers.toml"
    text = path.read_text()
    path.write_text(text[: text.index('[[procedure]]\nslug = "carte-identite"')])
    report = load_catalogue(small_catalogue)
    cni = Procedure.objects.get(slug="carte-identite")
    assert report.withdrawn == 1 and not cni.is_active and cni.version == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('keywords = ["CNI"]', 'keywords = ["CNI"]\nbenefits = ["apl"]'), "droit(s) inconnu(s) : apl"),
        (('slug = "carte-identite"', 'slug = "passeport"'), "identifiant déjà utilisé"),
        (('online_url = "https://ants.gouv.fr"', 'online_url = "ants"'), "adresse en ligne invalide"),
        (('title = "Demander un passeport"', 'title = "Demander un passeport'), "TOML illisible"),
        (('audience = "Toute personne de nationalité française."\ndocuments', "documents"), "manquant(s) : audience"),
    ],
)
def test_bad_files_change_nothing(small_catalogue, change, message):
    load_catalogue(small_catalogue)
    before = list(Procedure.objects.values_list("slug", "version", "title"))
    revisions = ProcedureRevision.objects.count()
    path = small_catalogue / "procedures" / "papiers.toml"
    path.write_text(path.read_text().replace(*change, 1).replace("Demander une carte", "Obtenir une carte"))
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_catalogue(small_catalogue)
    assert list(Procedure.objects.values_list("slug", "version", "title")) == before
    assert ProcedureRevision.objects.count() == revisions


def test_unknown_operator_is_refused(small_catalogue):
    path = small_catalogue / "procedures" / "papiers.toml"
    path.write_text(path.read_text().replace('operator = "', 'operator = "inconnu-', 1))
    with pytest.raises(CommandError, match="organisme inconnu"):
        call_command("load_catalogue", str(small_catalogue), verbosity=0)
