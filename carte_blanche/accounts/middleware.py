"""Send users of the roles that need it through two-factor verification before anything else."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Paths a half-logged-in user may still reach: the 2FA steps themselves, logout, static files.
_ALLOWED_PREFIXES = ("/comptes/2fa/", "/comptes/deconnexion/", "/static/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_TWO_FACTOR
            and user is not None
            and user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"code": "two_factor_required", "message": "Authentification à deux facteurs requise."},
                    status=401,
                )
            return redirect(reverse("accounts:two_factor") + f"?next={request.get_full_path()}")
        return self.get_response(request)
