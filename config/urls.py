from django.contrib import admin
from django.urls import include, path

from carte_blanche.api.api import api


def _api_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        # The API authenticates its own calls (401 JSON instead of a redirect to the login page).
        pattern.callback.login_required = False
    return patterns, app_name, namespace


urlpatterns = [
    path("admin/", admin.site.urls),
    path("comptes/", include("carte_blanche.accounts.urls")),
    path("api/v1/", _api_urls()),
    path("", include("carte_blanche.web.urls")),
]
