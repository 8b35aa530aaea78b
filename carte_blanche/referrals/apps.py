from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "carte_blanche.referrals"
    verbose_name = "Orientations"

    def ready(self):
        from carte_blanche.referrals.timeline import referral_items
        from carte_blanche.visits.timeline import register

        register(referral_items, kinds={"referral": "Orientation"})
