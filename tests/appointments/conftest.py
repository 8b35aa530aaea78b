import datetime as dt

import pytest
from django.utils import timezone

from carte_blanche.appointments.actions import publish_permanence
from carte_blanche.territory.models import ServicePoint


def next_week() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=7)


@pytest.fixture
def lalbenque():
    return ServicePoint.objects.get(name="France services de Lalbenque")


@pytest.fixture
def publish(caf_referent, lalbenque):
    def _publish(day=None, start=dt.time(9), end=dt.time(10), slot_minutes=30, capacity=1, mode="in_person"):
        return publish_permanence(
            by=caf_referent, operator=caf_referent.operator, mode=mode,
            service_point=lalbenque if mode == "in_person" else None, title="Permanence RSA",
            day=day or next_week(), start=start, end=end, slot_minutes=slot_minutes, capacity=capacity,
        )  # fmt: skip

    return _publish


@pytest.fixture
def permanence(publish):
    return publish()


@pytest.fixture
def slot(permanence):
    return permanence.slots.first()
