"""Contract drafts: who may write them, saving, generating, and linking one to the employee's file."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from carte_blanche.accounts.models import Role
from carte_blanche.contracts.document import ChecklistItem, ContractText, checklist, contract_text, date_fr
from carte_blanche.contracts.models import ContractDraft
from carte_blanche.contracts.rules import Draft, Problem, check
from carte_blanche.contracts.smic import smic_hourly
from carte_blanche.employers.models import Employer

NOTICE = (
    "Projet établi avec le centre de service RH de Carte Blanche, à faire relire par le conseiller RH : "
    "ce document n'est pas une consultation juridique."
)


class GenerationBlocked(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("Le projet comporte des points bloquants.")
        self.problems = problems


@dataclass(frozen=True)
class Generated:
    text: ContractText
    checklist: list[ChecklistItem]
    warnings: list[Problem]


def employers_of(user):
    """The companies whose contracts this user may write: an employer's own, every one for an HR advisor."""
    return Employer.objects.managed_by(user)


def check_can_write(user, employer: Employer) -> None:
    if not employers_of(user).filter(pk=employer.pk).exists():
        raise PermissionDenied("Seuls les comptes de l'entreprise et les conseillers RH rédigent ses contrats.")


def problems_of(draft: Draft) -> list[Problem]:
    smic = smic_hourly(draft.start_date or timezone.localdate())
    if smic is None:
        return check(draft)
    rate, since = smic
    return check(draft, smic_hourly=rate, smic_label=f"depuis le {date_fr(since)}")


def prefill_from_employer(employer: Employer) -> Draft:
    commune = employer.commune
    address = ", ".join(filter(None, [employer.address, getattr(commune, "name", "")]))
    return Draft(
        employer_name=employer.name,
        employer_siret=employer.siret,
        employer_address=address,
        employer_idcc=employer.idcc,
        workplace=address,
    )


@transaction.atomic
def save_draft(user, employer: Employer, draft: Draft, *, contract: ContractDraft | None = None) -> ContractDraft:
    """Create or update a draft; the employer's identity always comes from its registration."""
    check_can_write(user, employer)
    if contract is not None and contract.employer_id != employer.pk:
        raise PermissionDenied("Ce projet appartient à une autre entreprise.")
    draft.employer_siret = employer.siret
    draft.employer_idcc = employer.idcc
    data = draft.to_dict()
    kind, part_time = data.pop("kind"), data.pop("part_time")
    if contract is None:
        contract = ContractDraft(employer=employer, created_by=user)
    contract.kind, contract.part_time, contract.data = kind, part_time, data
    contract.save()
    return contract


def generate(user, contract: ContractDraft) -> Generated:
    """The contract's text and checklist; refused (GenerationBlocked) while a blocking problem remains.

    The problems found are kept on the draft either way (the refusal too).
    """
    check_can_write(user, contract.employer)
    with transaction.atomic():
        contract = ContractDraft.objects.select_for_update().get(pk=contract.pk)
        draft = contract.draft
        problems = problems_of(draft)
        contract.problems = [{"field": p.field, "message": p.message, "blocking": p.blocking} for p in problems]
        blocking = [p for p in problems if p.blocking]
        if not blocking:
            contract.generated_at = timezone.now()
        contract.save(update_fields=["problems", "generated_at", "updated_at"])
    if blocking:
        raise GenerationBlocked(blocking)
    return Generated(contract_text(draft), checklist(draft), [p for p in problems if not p.blocking])


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def link_person(agent, code: str, person_id: int) -> ContractDraft:
    """An agent links a draft to the employee's file, from the code the employee was given.

    The employee handing over the code shows she wants it used; the rights check's access
    rule (her consent to the agent's organisation for the household and incomes) decides
    whether the file may be read: without it, refused here as in the rights check.
    """
    from carte_blanche.rights.actions import read_for_check

    if agent.role != Role.AGENT:
        raise PermissionDenied("Seul un agent polyvalent rattache un projet de contrat au dossier d'une personne.")
    read_for_check(agent, person_id)  # journaled; raises PermissionDenied without consent
    contract = ContractDraft.objects.select_for_update().filter(share_code=normalise_code(code)).first()
    if contract is None:
        raise ContractDraft.DoesNotExist("Aucun projet de contrat ne porte ce code.")
    if contract.person_id and contract.person_id != person_id:
        raise PermissionDenied("Ce projet de contrat est déjà rattaché au dossier d'une autre personne.")
    if contract.person_id is None:
        contract.person_id = person_id
        contract.linked_by = agent
        contract.linked_at = timezone.now()
        contract.save(update_fields=["person", "linked_by", "linked_at", "updated_at"])
    return contract


def readable_by_agent(agent, contract: ContractDraft) -> bool:
    """An agent reads a draft only when it is linked to a file the rights check lets them read."""
    from carte_blanche.rights.actions import read_for_check

    if agent.role != Role.AGENT or contract.person_id is None:
        return False
    read_for_check(agent, contract.person_id)
    return True
