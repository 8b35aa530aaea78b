"""Pièces justificatives: real type checked, size limit, scan hook, consent-gated reads, journaled downloads."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carte_blanche.consent.access import AccessDenied
from carte_blanche.consent.actions import grant_consent, revoke_consent
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.consent.models import Consent
from carte_blanche.documents.actions import documents_of, open_document, store_document
from carte_blanche.documents.models import Document, DocumentKind
from carte_blanche.journal.models import JournalEntry, JournalEvent
from carte_blanche.referrals.actions import send_referral

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
QUESTION = "Sébastien n'a plus aucune ressource depuis la fin de l'ASS : peut-il ouvrir un droit au RSA ?"


def refuse_everything(content: bytes) -> None:
    raise ValidationError("Fichier infecté : il a été refusé par l'antivirus.")


@pytest.fixture(autouse=True)
def vault_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def consent_documents(person, operator, purpose, by):
    return grant_consent(
        person,
        operator=operator,
        categories=[DataCategory.DOCUMENTS],
        purposes=[purpose],
        valid_until=timezone.localdate() + dt.timedelta(days=365),
        method="in_person",
        by=by,
    )


@pytest.fixture
def tax_notice(bus_agent, sebastien):
    return store_document(
        sebastien, upload("avis.pdf", PDF), kind=DocumentKind.TAX_NOTICE, title="Avis 2025", by=bus_agent
    )


def test_a_pdf_and_a_png_are_stored_outside_the_web_root_and_journaled(bus_agent, sebastien, vault_root):
    pdf = store_document(sebastien, upload("avis.pdf", PDF), kind="tax_notice", title="Avis 2025", by=bus_agent)
    png = store_document(
        sebastien, upload("rib.png", PNG, "image/png"), kind="bank_details", title="", by=bus_agent,
        issued_on=dt.date(2025, 1, 2), valid_until=dt.date(2030, 1, 1),
    )  # fmt: skip
    assert (pdf.content_type, pdf.size) == ("application/pdf", len(PDF))
    assert png.content_type == "image/png" and png.title == "Relevé d'identité bancaire"
    assert (vault_root / pdf.storage_name).read_bytes() == PDF
    assert "avis" not in pdf.storage_name and len(pdf.storage_name) == 40
    entry = JournalEntry.objects.filter(event=JournalEvent.DOCUMENT_STORED).last()
    assert entry.person_id == sebastien.pk
    assert entry.details == {"document_id": png.pk, "kind": "bank_details", "size": len(PNG)}


def test_a_fake_pdf_is_refused_whatever_its_name(bus_agent, sebastien, vault_root):
    with pytest.raises(ValidationError, match="ni un PDF"):
        store_document(sebastien, upload("avis.pdf", b"MZ\x90\x00 not a pdf"), kind="other", title="x", by=bus_agent)
    assert not Document.objects.exists()
    assert not vault_root.exists() or not any(vault_root.iterdir())


def test_a_file_too_big_is_refused(bus_agent, sebastien, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="taille maximale"):
        store_document(sebastien, upload("gros.pdf", PDF + b"0" * 200), kind="other", title="x", by=bus_agent)
    assert not Document.objects.exists()


def test_the_scanner_hook_can_refuse(bus_agent, sebastien, settings, vault_root):
    settings.DOCUMENT_SCANNER = "tests.documents.test_documents.refuse_everything"
    with pytest.raises(ValidationError, match="infecté"):
        store_document(sebastien, upload("avis.pdf", PDF), kind="other", title="x", by=bus_agent)
    assert not Document.objects.exists()
    assert not vault_root.exists() or not any(vault_root.iterdir())


def test_only_agents_upload(caf_referent, sebastien):
    with pytest.raises(PermissionDenied):
        store_document(sebastien, upload("avis.pdf", PDF), kind="other", title="x", by=caf_referent)


def test_without_consent_no_list_and_no_download_and_the_refusal_is_journaled(tax_notice, bus_agent, sebastien):
    before = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=sebastien.pk).count()
    with pytest.raises(AccessDenied):
        documents_of(bus_agent, sebastien.pk, Purpose.ACCOMPANIMENT)
    with pytest.raises(AccessDenied):
        open_document(bus_agent, tax_notice.pk, Purpose.ACCOMPANIMENT)
    after = JournalEntry.objects.filter(event=JournalEvent.PERSON_READ_REFUSED, person_id=sebastien.pk).count()
    assert after == before + 2
    assert not JournalEntry.objects.filter(event=JournalEvent.DOCUMENT_DOWNLOADED).exists()


def test_the_person_file_shows_documents_only_with_consent(verified_client, tax_notice, bus_agent, sebastien):
    client = verified_client(bus_agent)
    url = reverse("web:person_detail", args=[sebastien.pk]) + "?finalite=accompaniment"
    assert "Pièces justificatives</h2>" not in client.get(url).content.decode()
    assert client.get(reverse("web:document_list", args=[sebastien.pk])).status_code == 403
    consent_documents(sebastien, bus_agent.acting_operator, Purpose.ACCOMPANIMENT, bus_agent)
    body = client.get(url).content.decode()
    assert "Pièces justificatives</h2>" in body and "Avis 2025" in body


def test_agent_uploads_and_downloads_through_the_pages(verified_client, bus_agent, sebastien):
    consent_documents(sebastien, bus_agent.acting_operator, Purpose.ACCOMPANIMENT, bus_agent)
    client = verified_client(bus_agent)
    url = reverse("web:document_list", args=[sebastien.pk]) + "?finalite=accompaniment"
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload("photo.jpg", b"%PDF-1.4 fake jpg"), "kind": "payslip", "title": "Paie"})
    assert response.status_code == 302
    document = Document.objects.get(title="Paie")
    assert document.content_type == "application/pdf"  # the content decides, not the name
    response = client.get(reverse("web:document_download", args=[document.pk]) + "?finalite=accompaniment")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fake jpg"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = JournalEntry.objects.filter(event=JournalEvent.DOCUMENT_DOWNLOADED).last()
    assert entry.person_id == sebastien.pk and entry.purpose == "accompaniment"
    assert entry.details == {"document_id": document.pk, "kind": "payslip", "channel": "web"}


def test_a_refused_upload_shows_the_reason(verified_client, bus_agent, sebastien):
    consent_documents(sebastien, bus_agent.acting_operator, Purpose.ACCOMPANIMENT, bus_agent)
    client = verified_client(bus_agent)
    url = reverse("web:document_list", args=[sebastien.pk]) + "?finalite=accompaniment"
    response = client.post(url, {"file": upload("a.pdf", b"GIF89a"), "kind": "other", "title": "x"})
    assert response.status_code == 200 and "ni un PDF" in response.content.decode()
    assert not Document.objects.exists()


def test_the_resident_downloads_their_own(verified_client, resident_sarah, sarah, agent):
    document = store_document(sarah, upload("cni.pdf", PDF), kind="identity_card", title="CNI", by=agent)
    client = verified_client(resident_sarah)
    response = client.get(reverse("web:document_download", args=[document.pk]) + "?finalite=self")
    assert b"".join(response.streaming_content) == PDF


def test_attachments_need_a_documents_consent_to_the_operator(tax_notice, bus_agent, caf_referent, sebastien):
    with pytest.raises(ValidationError, match="pièces justificatives"):
        send_referral(
            sebastien, operator=caf_referent.operator, question=QUESTION, by=bus_agent, documents=[tax_notice]
        )


def test_attachments_of_another_person_are_refused(bus_agent, caf_referent, sebastien, sarah, agent):
    consent_documents(sebastien, caf_referent.operator, Purpose.REFERRAL, bus_agent)
    other = store_document(sarah, upload("cni.pdf", PDF), kind="identity_card", title="CNI", by=agent)
    with pytest.raises(ValidationError, match="n'appartient pas"):
        send_referral(sebastien, operator=caf_referent.operator, question=QUESTION, by=bus_agent, documents=[other])


def test_the_partner_downloads_attachments_until_the_consent_is_withdrawn(
    verified_client, tax_notice, bus_agent, caf_referent, sebastien
):
    (consent,) = consent_documents(sebastien, caf_referent.operator, Purpose.REFERRAL, bus_agent)
    referral = send_referral(
        sebastien, operator=caf_referent.operator, question=QUESTION, by=bus_agent, documents=[tax_notice]
    )
    assert list(referral.documents.all()) == [tax_notice]
    client = verified_client(caf_referent)
    page = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    download = reverse("web:document_download", args=[tax_notice.pk]) + "?finalite=referral"
    assert "Avis 2025" in page and download.replace("&", "&amp;") in page
    response = client.get(download)
    assert b"".join(response.streaming_content) == PDF
    assert JournalEntry.objects.filter(event=JournalEvent.DOCUMENT_DOWNLOADED, purpose="referral").exists()

    revoke_consent(Consent.objects.get(pk=consent.pk), by=bus_agent)
    assert client.get(download).status_code in (403, 404)
    page = client.get(reverse("web:referral_detail", args=[referral.pk])).content.decode()
    assert "Avis 2025" not in page


def test_the_referral_form_lists_documents_only_when_the_agent_may_read_them(
    verified_client, tax_notice, bus_agent, caf_referent, sebastien
):
    client = verified_client(bus_agent)
    url = reverse("web:referral_create", args=[sebastien.pk])
    assert "Avis 2025" not in client.get(url).content.decode()
    consent_documents(sebastien, bus_agent.acting_operator, Purpose.REFERRAL, bus_agent)
    assert "Avis 2025" in client.get(url).content.decode()
    consent_documents(sebastien, caf_referent.operator, Purpose.REFERRAL, bus_agent)
    response = client.post(
        url, {"operator": caf_referent.operator.pk, "question": QUESTION, "documents": [tax_notice.pk]}
    )
    assert response.status_code == 302
    referral = sebastien.referrals.get()
    assert list(referral.documents.all()) == [tax_notice]
