"""Login, two-factor enrolment and verification, logout."""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from carte_blanche.accounts.forms import LoginForm, TokenForm
from carte_blanche.accounts.models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"page_title": "Se connecter"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The demo's accounts have a published password: list them where people log in.
        context["demo_accounts"] = (
            User.objects.filter(is_active=True).select_related("structure", "operator").order_by("role", "username")
            if settings.DEMO_MODE
            else None
        )
        return context


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; enrol a device first when the user has none confirmed."""
    user = request.user
    if user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Application d'authentification", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Trop d'essais : patientez quelques secondes avant de saisir un nouveau code.")
        elif device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            form.add_error("token", "Code incorrect ou expiré : saisissez le code affiché en ce moment.")
    context = {
        "form": form,
        "enrolling": enrolling,
        "next": _safe_next(request),
        "page_title": "Activer la double authentification" if enrolling else "Double authentification",
    }
    if enrolling:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _b32(device.bin_key)
    return render(request, "accounts/two_factor.html", context)


def _b32(key: bytes) -> str:
    from base64 import b32encode

    raw = b32encode(key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (shown once), see when each was last used, revoke."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError

    from carte_blanche.accounts.models import TWO_FACTOR_ROLES, ApiToken
    from carte_blanche.accounts.tokens import issue_token, revoke_token

    if request.user.role not in TWO_FACTOR_ROLES:
        raise PermissionDenied("Votre rôle n'utilise pas l'API.")
    new_token = None
    error = ""
    if request.method == "POST" and request.POST.get("revoquer"):
        row = ApiToken.objects.filter(pk=request.POST["revoquer"] if request.POST["revoquer"].isdigit() else 0).first()
        if row is None or row.user_id != request.user.pk:
            raise Http404("Aucun jeton ne porte ce numéro.")
        revoke_token(row, by=request.user)
        messages.success(request, f"Jeton « {row.label} » révoqué : il ne donne plus accès à l'API.")
        return redirect("accounts:api_tokens")
    if request.method == "POST":
        try:
            _, new_token = issue_token(request.user, request.POST.get("label", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "new_token": new_token,
            "error": error,
            "page_title": "Jetons d'accès à l'API",
        },
    )
