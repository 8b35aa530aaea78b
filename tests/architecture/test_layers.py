"""Guard rails on the code's shape: layer contracts, and design-system markup kept in the theme."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    """Domain apps import no web code; pure engines import no Django (.importlinter)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_page_templates_use_the_theme_not_the_design_system():
    """Only carte_blanche/ui/themes/<theme>/ may contain DSFR markup (ADR 0002)."""
    offenders = []
    for template in (ROOT / "carte_blanche").rglob("templates/**/*.html"):
        if "themes" in template.parts:
            continue
        text = template.read_text()
        if "dsfr_tags" in text or re.search(r'class="[^"]*\bfr-', text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []
