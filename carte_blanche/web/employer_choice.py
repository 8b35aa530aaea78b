"""Which company a page acts for, from `?entreprise=` or the employer account's only company."""

from django.http import Http404

from carte_blanche.accounts.models import Role


def chosen_employer(request, employers, *, what: str):
    """The company among `employers` named by `entreprise` (POST or GET), else the account's only one.

    `what` ends the 404 messages: "dont vous rédigez les contrats", "dont vous gérez les offres"…
    """
    raw = request.POST.get("entreprise") or request.GET.get("entreprise", "")
    employer = employers.filter(pk=int(raw)).first() if raw.isdigit() else None
    if employer is None and raw:
        raise Http404(f"Aucune entreprise de ce numéro parmi celles {what}.")
    if employer is None:
        mine = list(employers[:2]) if request.user.role == Role.EMPLOYER else []
        if len(mine) != 1:
            raise Http404("Choisissez l'entreprise depuis son dossier ou depuis la liste.")
        employer = mine[0]
    return employer
