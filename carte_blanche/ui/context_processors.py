from django.conf import settings

from carte_blanche.ui.themes import theme_classes


def ui(request):
    """Expose the theme's class map as `ui`, so page templates name intentions, not CSS."""
    return {"ui": theme_classes(settings.UI_THEME)}
