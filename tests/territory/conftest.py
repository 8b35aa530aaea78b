import pytest


@pytest.fixture
def empty_territory(db):
    """Start from an empty territory: the session-wide demo data is removed inside this test's transaction."""
    from carte_blanche.accounts.models import User
    from carte_blanche.appointments.models import Permanence
    from carte_blanche.bus.models import Stop, Subscription, TourPlan
    from carte_blanche.catalogue.models import Procedure, Theme
    from carte_blanche.consent.models import Consent
    from carte_blanche.employers.models import Employer
    from carte_blanche.hrdesk.models import Answer, HrQuestion
    from carte_blanche.messaging.models import Notification
    from carte_blanche.mobility.models import Driver, Eligibility, MobilityOffer, RideRequest
    from carte_blanche.people.models import Person
    from carte_blanche.territory.models import Commune, Epci, Operator, ServicePoint, Structure

    for model in (
        TourPlan,
        Subscription,
        RideRequest,
        Eligibility,
        Driver,
        MobilityOffer,
        HrQuestion,
        Answer,
        Notification,
        Employer,
        Permanence,
        Stop,
        Procedure,
        Theme,
        Consent,
        Person,
        User,
        Structure,
        ServicePoint,
        Commune,
        Epci,
        Operator,
    ):
        model.objects.all().delete()
