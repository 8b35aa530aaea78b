"""Employment contract drafts of the HR centre's employers."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carte_blanche.contracts.rules import Draft, Kind

# No 0/O, 1/I/L: the code is read aloud or typed from paper at the counter.
SHARE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_share_code() -> str:
    return "".join(secrets.choice(SHARE_ALPHABET) for _ in range(8))


class ContractDraftQuerySet(models.QuerySet):
    def of_employer(self, employer):
        return self.filter(employer=employer)


class ContractDraft(models.Model):
    employer = models.ForeignKey(
        "employers.Employer", verbose_name=_("employeur"), on_delete=models.CASCADE, related_name="contract_drafts"
    )
    kind = models.CharField(_("type de contrat"), max_length=3, choices=[(k.value, k.label) for k in Kind])
    part_time = models.BooleanField(_("temps partiel"), default=False)
    data = models.JSONField(_("contenu du projet"), default=dict)
    problems = models.JSONField(_("points à corriger lors de la dernière génération"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_drafts_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    generated_at = models.DateTimeField(_("dernier document généré le"), null=True, blank=True)
    # The bridge to the employee's rights: the employee hands this code to an agent, who links
    # the draft to her file (with her consent, checked by the access function).
    share_code = models.CharField(max_length=8, unique=True, default=new_share_code, editable=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="contract_drafts"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    objects = ContractDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("projet de contrat de travail")

    def __str__(self) -> str:
        return f"Projet de contrat n° {self.pk} ({self.employer.name})"

    @property
    def draft(self) -> Draft:
        return Draft.from_dict({**self.data, "kind": self.kind, "part_time": self.part_time})

    @property
    def employee_name(self) -> str:
        return f"{self.data.get('employee_first_names', '')} {self.data.get('employee_last_name', '')}".strip()
