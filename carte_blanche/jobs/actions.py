"""Job offers: who manages them, saving, and the named transitions (publish, withdraw, mark filled).

Offers concern companies, not persons: nothing here reads a file or writes the access journal;
each offer keeps who changed its state last and when.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carte_blanche.employers.models import Employer
from carte_blanche.jobs.models import JobOffer
from carte_blanche.jobs.states import State, Transition, is_editable, next_state


class OfferClosed(Exception):
    """A filled offer is kept as it was filled."""


def employers_managed_by(user):
    """The companies whose offers this user manages: an employer account its own, an HR advisor every one."""
    return Employer.objects.managed_by(user)


def offers_managed_by(user):
    return JobOffer.objects.filter(employer__in=employers_managed_by(user))


def check_can_manage(user, employer: Employer) -> None:
    if not employers_managed_by(user).filter(pk=employer.pk).exists():
        raise PermissionDenied("Seuls les comptes de l'entreprise et les conseillers RH gèrent ses offres d'emploi.")


@transaction.atomic
def save_offer(user, offer: JobOffer) -> JobOffer:
    """Create (as a draft) or edit an offer; a filled offer is no longer edited."""
    check_can_manage(user, offer.employer)
    if offer.pk is None:
        offer.state = State.DRAFT
        offer.created_by = user
    else:
        stored = JobOffer.objects.select_for_update().get(pk=offer.pk)
        if stored.employer_id != offer.employer_id:
            raise PermissionDenied("Cette offre appartient à une autre entreprise.")
        if not is_editable(stored.status):
            raise OfferClosed("Une offre pourvue ne se modifie plus : publiez une nouvelle offre.")
        # The state only moves through transition().
        offer.state, offer.published_at = stored.state, stored.published_at
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def transition(offer: JobOffer, name: Transition | str, *, by) -> JobOffer:
    """Move the offer along one named transition; refused (IllegalTransition) from the wrong state."""
    name = Transition(name)
    offer = JobOffer.objects.select_for_update().select_related("employer").get(pk=offer.pk)
    check_can_manage(by, offer.employer)
    target = next_state(offer.status, name)
    now = timezone.now()
    if name is Transition.PUBLISH:
        if offer.closes_on is not None and offer.closes_on < timezone.localdate():
            raise ValidationError("La date de clôture des candidatures est passée : modifiez-la avant de publier.")
        offer.full_clean()
        offer.published_at = now
    offer.state, offer.state_changed_at, offer.state_changed_by = target, now, by
    offer.save(update_fields=["state", "published_at", "state_changed_at", "state_changed_by", "updated_at"])
    return offer


def publish(offer: JobOffer, *, by) -> JobOffer:
    return transition(offer, Transition.PUBLISH, by=by)


def withdraw(offer: JobOffer, *, by) -> JobOffer:
    return transition(offer, Transition.WITHDRAW, by=by)


def mark_filled(offer: JobOffer, *, by) -> JobOffer:
    return transition(offer, Transition.MARK_FILLED, by=by)
