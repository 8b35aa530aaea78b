"""Satisfaction: one question after a referral closes or a visit ends ("Votre demande a-t-elle été résolue ?")."""
