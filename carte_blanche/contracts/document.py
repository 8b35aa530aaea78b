"""The text of a contract draft and its hiring checklist (pure module, no Django import).

One source for both formats: the PDF template and the OpenDocument writer walk the same
sections, so the clauses cannot differ between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carte_blanche.contracts.rules import (
    CDD_REASON_ARTICLES,
    CDD_REASON_LABELS,
    Draft,
    Kind,
    TrialUnit,
    _fmt,
)


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ContractText:
    title: str
    parties: tuple[str, ...]
    sections: tuple[Section, ...]
    closing: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistItem:
    title: str
    detail: str
    reference: str = ""


def date_fr(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def title_of(draft: Draft) -> str:
    kind = "à durée indéterminée" if draft.kind is Kind.CDI else "à durée déterminée"
    time = " à temps partiel" if draft.part_time else ""
    return f"Contrat de travail {kind}{time}"


def contract_text(draft: Draft) -> ContractText:
    employee = f"{draft.employee_first_names} {draft.employee_last_name}".strip()
    agreement = draft.collective_agreement or "—"
    if draft.employer_idcc:
        agreement = f"{agreement} (IDCC {draft.employer_idcc})"
    parties = (
        f"Entre {draft.employer_name}, SIRET {draft.employer_siret}, dont le siège est {draft.employer_address}, "
        "représentée par son représentant légal, ci-après « l'employeur »,",
        f"et {employee}, né(e) le {date_fr(draft.employee_birth_date)}, demeurant {draft.employee_address}, "
        "ci-après « le salarié »,",
        "il a été convenu ce qui suit.",
    )
    sections = [_engagement(draft), _job(draft, agreement), _workplace(draft), _trial(draft), _working_time(draft)]
    sections.append(_pay(draft))
    sections.append(
        Section(
            "Congés payés",
            ("Le salarié acquiert deux jours et demi ouvrables de congés payés par mois de travail (art. L3141-3).",),
        )
    )
    social = [f"Caisse de retraite complémentaire : {draft.pension_fund}."] if draft.pension_fund else []
    if draft.welfare_body:
        social.append(f"Organisme de prévoyance : {draft.welfare_body}.")
    social.append(
        "Le salarié bénéficie de la complémentaire santé collective de l'entreprise (art. L911-7 du code de la "
        "sécurité sociale), sauf dispense prévue par les textes."
    )
    sections.append(Section("Retraite complémentaire, prévoyance et santé", tuple(social)))
    if draft.kind is Kind.CDD:
        sections.append(
            Section(
                "Fin du contrat",
                (
                    "À l'échéance du contrat, le salarié perçoit une indemnité de fin de contrat égale à 10 % de la "
                    "rémunération brute totale versée (art. L1243-8), sauf dans les cas prévus à l'article L1243-10 "
                    "(notamment emploi saisonnier ou d'usage, refus d'un CDI pour un emploi similaire).",
                    "L'employeur porte à la connaissance du salarié la liste des postes à pourvoir dans l'entreprise "
                    "en contrat à durée indéterminée (art. L1242-17).",
                ),
            )
        )
    sections.append(
        Section(
            "Dispositions applicables",
            (
                f"Le contrat est régi par le code du travail et par la convention collective : {agreement}, "
                "consultable sur le lieu de travail.",
            ),
        )
    )
    closing = (
        f"Fait à {draft.workplace or '…'}, le …, en deux exemplaires originaux dont un remis au salarié.",
        "L'employeur (signature précédée de la mention « lu et approuvé »)",
        "Le salarié (signature précédée de la mention « lu et approuvé »)",
    )
    numbered = tuple(Section(f"Article {i} — {s.heading}", s.paragraphs) for i, s in enumerate(sections, start=1))
    return ContractText(title_of(draft), parties, numbered, closing)


def _engagement(draft: Draft) -> Section:
    if draft.kind is Kind.CDI:
        return Section(
            "Engagement",
            (f"Le salarié est engagé pour une durée indéterminée à compter du {date_fr(draft.start_date)}.",),
        )
    reason = draft.reason
    lines = []
    if reason is not None:
        lines.append(
            f"Le présent contrat est conclu pour le motif suivant : {CDD_REASON_LABELS[reason].lower()} "
            f"({CDD_REASON_ARTICLES[reason]} du code du travail). {draft.cdd_reason_detail}".strip()
        )
    if draft.replaced_name:
        lines.append(f"Personne remplacée : {draft.replaced_name}, {draft.replaced_job}.")
    if draft.end_date:
        lines.append(
            f"Il prend effet le {date_fr(draft.start_date)} et prend fin le {date_fr(draft.end_date)} (terme précis)."
        )
    else:
        lines.append(
            f"Il prend effet le {date_fr(draft.start_date)}, pour une durée minimale de {draft.minimum_weeks} "
            "semaines ; il prend fin à la réalisation de son objet (fin de l'absence ou de la saison, entrée en "
            "service du salarié recruté)."
        )
    if draft.end_date and draft.renewals:
        lines.append(
            f"Il pourra être renouvelé {draft.renewals} fois, par avenant proposé au salarié avant son terme, sans "
            "que sa durée totale dépasse la durée maximale légale ou conventionnelle (art. L1243-13)."
        )
    elif draft.end_date:
        lines.append("Il n'est pas renouvelable.")
    return Section("Engagement et motif", tuple(lines))


def _job(draft: Draft, agreement: str) -> Section:
    return Section(
        "Fonctions et classification",
        (
            f"Le salarié occupe l'emploi de {draft.job_title}, catégorie « {draft.category.label} », "
            f"classification : {draft.qualification}, selon la convention collective {agreement}.",
        ),
    )


def _workplace(draft: Draft) -> Section:
    return Section("Lieu de travail", (f"Le salarié exerce ses fonctions à : {draft.workplace}.",))


def _trial(draft: Draft) -> Section:
    if not draft.trial_value:
        return Section("Période d'essai", ("Le contrat ne comporte pas de période d'essai.",))
    unit = {TrialUnit.DAYS: "jour(s)", TrialUnit.WEEKS: "semaine(s)", TrialUnit.MONTHS: "mois"}[draft.trial_unit]
    return Section(
        "Période d'essai",
        (
            f"Le contrat ne devient définitif qu'à l'issue d'une période d'essai de {draft.trial_value} {unit} de "
            "travail effectif, pendant laquelle chacune des parties peut le rompre en respectant le délai de "
            "prévenance légal (art. L1221-25 et L1221-26).",
        ),
    )


def _working_time(draft: Draft) -> Section:
    if not draft.part_time:
        return Section(
            "Durée du travail",
            ("Le salarié travaille à temps complet : 35 heures par semaine, soit 151,67 heures par mois.",),
        )
    weekly = draft.effective_weekly_hours or 0
    monthly = draft.effective_monthly_hours or 0
    days = ", ".join(f"{day} : {_fmt(hours)} h" for day, hours in draft.worked_days)
    lines = [
        f"Le salarié travaille à temps partiel : {_fmt(monthly)} heures par mois, soit {_fmt(weekly)} heures par "
        "semaine en moyenne (art. L3123-6).",
        f"Répartition entre les jours de la semaine : {days}.",
        f"Cette répartition peut être modifiée dans les cas suivants : {draft.distribution_changes} Toute "
        "modification est notifiée au salarié au moins sept jours ouvrés à l'avance (art. L3123-11 et L3123-31).",
        f"Communication des horaires : {draft.schedule_notice}",
        f"Le salarié peut accomplir des heures complémentaires dans la limite de {draft.complementary_percent} % de "
        "la durée prévue au contrat ; chacune est majorée d'au moins 10 % (art. L3123-8 et L3123-29).",
        "Le salarié bénéficie d'une priorité d'accès aux emplois à temps complet de sa catégorie (art. L3123-3).",
    ]
    if draft.reduced_hours_basis.value:
        lines.append(f"Durée inférieure à 24 heures par semaine : {draft.reduced_hours_basis.label.lower()}.")
    return Section("Durée et répartition du travail", tuple(lines))


def _pay(draft: Draft) -> Section:
    salary = draft.gross_monthly_salary or 0
    rate = draft.hourly_rate
    line = f"Le salarié perçoit une rémunération brute mensuelle de {_fmt(salary)} €"
    if rate:
        line += f", soit {_fmt(rate)} € brut de l'heure"
    return Section("Rémunération", (line + ", versée chaque mois avec un bulletin de paie.",))


def checklist(draft: Draft) -> list[ChecklistItem]:
    """What the employer must do around the hiring, in order."""
    start = date_fr(draft.start_date)
    items = [
        ChecklistItem(
            "Déclaration préalable à l'embauche (DPAE)",
            f"À l'URSSAF (ou à la MSA), dans les huit jours qui précèdent l'embauche et au plus tard avant la prise "
            f"de poste du {start}.",
            "art. L1221-10 et R1221-5",
        ),
        ChecklistItem(
            "Registre unique du personnel",
            "Inscrire le salarié, dans l'ordre des embauches, dès son arrivée.",
            "art. L1221-13",
        ),
        ChecklistItem(
            "Visite d'information et de prévention",
            "Auprès du service de prévention et de santé au travail, dans les trois mois qui suivent la prise de "
            "poste.",
            "art. R4624-10",
        ),
        ChecklistItem(
            "Complémentaire santé (mutuelle d'entreprise)",
            "Affilier le salarié au contrat collectif, l'employeur en paie au moins la moitié, ou recueillir sa "
            "demande de dispense écrite.",
            "art. L911-7 du code de la sécurité sociale",
        ),
        ChecklistItem(
            "Affichages obligatoires",
            "Vérifier les affichages : inspection du travail, service de santé au travail, convention collective, "
            "horaires collectifs, consignes de sécurité, égalité de rémunération, harcèlement.",
        ),
        ChecklistItem(
            "Contrat signé et informations",
            "Faire signer deux exemplaires ; remettre au salarié les informations sur son emploi (durée du travail, "
            "congés, formation, protection sociale).",
            "art. L1221-5-1",
        ),
        ChecklistItem(
            "Paie et déclaration sociale nominative",
            "Créer le salarié dans la paie ; la première DSN mensuelle le déclare avec son contrat.",
        ),
    ]
    if draft.kind is Kind.CDD:
        items.insert(
            5,
            ChecklistItem(
                "Transmettre le CDD",
                "Le CDD écrit est transmis au salarié au plus tard dans les deux jours ouvrables qui suivent "
                "l'embauche ; sans écrit, il est réputé conclu à durée indéterminée.",
                "art. L1242-12 et L1242-13",
            ),
        )
        items.append(
            ChecklistItem(
                "Fin du CDD",
                "Prévoir l'indemnité de fin de contrat (10 %) et l'indemnité de congés payés ; respecter le délai "
                "de carence avant un nouveau CDD sur le même poste.",
                "art. L1243-8, L1243-10 et L1244-3",
            )
        )
    if draft.part_time:
        items.append(
            ChecklistItem(
                "Temps partiel",
                "Communiquer par écrit les horaires de chaque journée ; décompter les heures complémentaires.",
                "art. L3123-6",
            )
        )
    return items
