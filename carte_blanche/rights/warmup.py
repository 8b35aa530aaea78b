"""Warm the rights engine when a web process starts (a background thread, so startup is not delayed)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings

logger = logging.getLogger(__name__)
_started = False


def start_background_warm_up() -> None:
    global _started
    if _started or not getattr(settings, "RIGHTS_WARM_UP", False):
        return
    _started = True

    def run() -> None:
        from carte_blanche.rights import engine

        try:
            engine.warm_up()
        except Exception:  # a failed warm-up only costs the first check its cold start
            logger.exception("Rights engine warm-up failed")

    threading.Thread(target=run, name="rights-warm-up", daemon=True).start()
