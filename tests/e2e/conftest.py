"""Browser tests: Playwright (sync API) drives the system Chromium against pytest-django's live server.

No browser is ever downloaded: the tests use Debian's ``/usr/bin/chromium`` and are skipped
when it is missing, unless ``CB_REQUIRE_E2E=1`` asks for them to fail instead (CI).

Each test is transactional (the live server runs in another thread), so the database is
flushed after it; the ``site`` fixture loads the territory and the personas back first.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from carte_blanche.demo.loader import demo_password

# The Playwright sync API keeps an event loop running in the test thread; the ORM calls the
# tests make between two page actions (reading a TOTP device, checking the journal) are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CB_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1024, "height": 768}  # a tablet in landscape, as at a France services desk
PASSWORD = demo_password()
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium introuvable ({CHROMIUM}) : tests de navigateur non lancés."
        if os.environ.get("CB_REQUIRE_E2E") == "1":
            pytest.fail(reason + " CB_REQUIRE_E2E=1 les rend obligatoires.", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the territory and the personas in its database."""
    from tests.conftest import load_reference_data

    load_reference_data()
    return live_server.url


@pytest.fixture
def new_page(browser, site):
    """Open a page in a fresh browser context (own cookies): one per user a test needs."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport=VIEWPORT, locale="fr-FR", base_url=site)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def current_totp(username: str) -> str:
    """The code an authenticator app would show now for the user's (possibly unconfirmed) device.

    django-otp refuses a code whose time step was already used; when the last one was used in
    this step (same user logging in twice within 30 s), give the next step's code, which the
    default tolerance of one step accepts.
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "-pk").first()
    assert device is not None, f"aucun appareil TOTP créé pour {username}"
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def _needs_two_factor(username: str) -> bool:
    """The roles that read personal data (and staff) are sent through two-factor after the password."""
    from carte_blanche.accounts.models import User

    user = User.objects.filter(username=username).first()
    return bool(user and user.needs_two_factor)


def login(page, username: str, *, check_accessibility: bool = False) -> None:
    """Log in through the real forms: password, then the TOTP code for the roles that need one."""
    page.goto("/comptes/connexion/")
    if check_accessibility:
        assert_accessible(page, "connexion")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if _needs_two_factor(username):
        page.wait_for_url("**/comptes/2fa/**")
        if check_accessibility:
            assert_accessible(page, "double authentification")
        page.get_by_label("Code à 6 chiffres").fill(current_totp(username))
        page.get_by_role("button", name="Valider").click()
    page.wait_for_url(lambda url: "/comptes/" not in url)
    page.get_by_role("heading", level=1, name="Bonjour").wait_for()


def assert_accessible(page, name: str) -> None:
    """Run axe-core on the page: no serious or critical violation allowed."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError

    # A click on a link returns before the next page is there: wait for it, and run axe again
    # if the navigation replaced the document under it.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            violations = Axe().run(page).response["violations"]
            break
        except PlaywrightError as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
            page.wait_for_timeout(200)
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    minor = sorted(f"{v['id']} ({v.get('impact')})" for v in violations if v not in blocking)
    if minor:
        print(f"axe, page « {name} » : {', '.join(minor)}")
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — " + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in blocking
    ]
    assert not blocking, (
        f"Page « {name} » ({page.url}) : violations axe bloquantes :\n"
        + "\n".join(details)
        + f"\nAutres violations : {', '.join(minor) or 'aucune'}"
    )


def tick(scope, label: str, *, exact: bool = False) -> None:
    """Tick a DSFR checkbox the way a user does: the box is drawn on its label, so click the label."""
    from playwright.sync_api import expect

    box = scope.get_by_label(label, exact=exact)
    scope.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()
