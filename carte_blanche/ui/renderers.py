from django.forms.renderers import TemplatesSetting


class ThemeRenderer(TemplatesSetting):
    """Render every form and field through the active theme's templates."""

    form_template_name = "theme/form.html"
    field_template_name = "theme/field.html"
