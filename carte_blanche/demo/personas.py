"""The demo's cast: accounts, the 8 personas of the 2017 Cahors workshops, their consents.

Plain data, no database access: :mod:`carte_blanche.demo.loader` turns it into rows
through the domain actions. Sarah, Sébastien and Roseline are the three personas the
experiment named; the five others are drawn from the same territory (farmers under the
MSA, a young person followed by the Mission locale, a single father on RSA, a disabled
adult on AAH, a retired couple living on small pensions).

Ages, not birth dates, are the facts of the story: the loader computes each birth date
so that the person has that age on the day the demo is loaded. Operators, structures and
communes are referred to by the keys of the territory files (``data/territories/<name>/``):
operator slug, structure name, INSEE code.

Phone numbers are in the range that ARCEP reserves for fiction in the 05 (south-west)
zone, 05 36 49 xx xx; e-mail addresses are under a ``.localhost`` domain. Nobody real
can receive a message from the demo.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from carte_blanche.accounts.models import Role
from carte_blanche.consent.categories import DataCategory, Purpose
from carte_blanche.people.models import (
    ContactChannel,
    DigitalAutonomy,
    HealthInsurance,
    HousingStatus,
    Relationship,
    Title,
)

EMAIL_DOMAIN = "demo.carte-blanche.localhost"
PASSWORD_ENV = "CB_DEMO_PASSWORD"
DEFAULT_PASSWORD = "demo-carte-blanche-2026"
SITE_URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    structure: str = ""  # Structure.name, for agents
    operator: str = ""  # Operator.slug, for referents, HR advisors, coordinators

    @property
    def email(self) -> str:
        local = f"{self.first_name}.{self.last_name}".lower().replace(" ", "-")
        return f"{_ascii(local)}@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Birthday:
    """An age on the day of loading, and the day of the year it turns."""

    age: int
    month: int
    day: int


@dataclass(frozen=True)
class Member:
    first_name: str
    last_name: str
    born: Birthday
    relationship: Relationship
    is_dependent: bool = False


@dataclass(frozen=True)
class ConsentGrant:
    operator: str  # Operator.slug
    categories: tuple[DataCategory, ...]
    purposes: tuple[Purpose, ...]
    years: int = 1  # valid for this many years from the day of loading
    revoked: bool = False  # granted, then withdrawn by the person


@dataclass(frozen=True)
class Persona:
    key: str
    summary: str  # one line, for people who read the demo data
    opened_by: str  # DemoAccount.username of the agent who opens the file
    title: Title
    first_names: str
    last_name: str
    born: Birthday
    commune: str  # INSEE code
    address: str
    preferred_channel: ContactChannel
    digital_autonomy: DigitalAutonomy
    housing_status: HousingStatus
    monthly_resources: Decimal
    resources_description: str
    health_insurance: HealthInsurance
    has_complementary_health: bool | None
    birth_name: str = ""
    phone: str = ""
    email: str = ""
    monthly_rent: Decimal | None = None
    disability_recognised: bool = False
    autonomy_gir: int | None = None
    household: tuple[Member, ...] = ()
    consents: tuple[ConsentGrant, ...] = ()
    account: str = ""  # DemoAccount.username of the resident account linked to the file

    def person_fields(self) -> dict:
        """Person model fields, except birth date and commune (resolved by the loader)."""
        return {
            "title": self.title,
            "first_names": self.first_names,
            "last_name": self.last_name,
            "birth_name": self.birth_name,
            "address": self.address,
            "phone": self.phone,
            "email": self.email,
            "preferred_channel": self.preferred_channel,
            "digital_autonomy": self.digital_autonomy,
            "housing_status": self.housing_status,
            "monthly_rent": self.monthly_rent,
            "monthly_resources": self.monthly_resources,
            "resources_description": self.resources_description,
            "health_insurance": self.health_insurance,
            "has_complementary_health": self.has_complementary_health,
            "disability_recognised": self.disability_recognised,
            "autonomy_gir": self.autonomy_gir,
        }


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("'", "-"))
    return decomposed.encode("ascii", "ignore").decode()


# Structures and operators named in data/territories/cahors/{structures,operators}.csv.
CATUS = "France services Catus"
BUS = "Bus France services du Grand Cahors"
CAF = "caf-lot"
CPAM = "cpam-lot"
MSA = "msa-mpn"
CARSAT = "carsat-mp"
FRANCE_TRAVAIL = "france-travail"
DEPARTEMENT = "departement-lot"
MDPH = "mdph-lot"
MISSION_LOCALE = "mission-locale-lot"
UDAF = "udaf-lot"
FRANCE_SERVICES = "france-services"
GRAND_CAHORS = "grand-cahors"
PREFECTURE = "prefecture-lot"
CCI = "cci-lot"

ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("agent", "Claire", "Delpech", Role.AGENT, structure=CATUS),
    DemoAccount("agent-bus", "Julien", "Lacoste", Role.AGENT, structure=BUS),
    DemoAccount("referent-caf", "Nathalie", "Cayrou", Role.PARTNER_REFERENT, operator=CAF),
    DemoAccount("referent-cpam", "Marc", "Vidal", Role.PARTNER_REFERENT, operator=CPAM),
    DemoAccount("referent-departement", "Isabelle", "Pélissié", Role.PARTNER_REFERENT, operator=DEPARTEMENT),
    DemoAccount("coordination", "Anne", "Mercadier", Role.COORDINATOR, operator=PREFECTURE),
    DemoAccount("coord-mobilite", "Thomas", "Roques", Role.MOBILITY_COORDINATOR, operator=GRAND_CAHORS),
    DemoAccount("conducteur", "Bernard", "Lacam", Role.VOLUNTEER_DRIVER),
    DemoAccount("conductrice-lalbenque", "Monique", "Bessières", Role.VOLUNTEER_DRIVER),
    DemoAccount("conducteur-cahors", "Jean-Louis", "Cabrit", Role.VOLUNTEER_DRIVER),
    DemoAccount("employeur", "Stéphanie", "Combes", Role.EMPLOYER),
    DemoAccount("conseiller-rh", "Karim", "Benali", Role.HR_ADVISOR, operator=CCI),
    DemoAccount("sarah", "Sarah", "Fournié", Role.RESIDENT),
)

_ID_CONTACT = (DataCategory.IDENTITY, DataCategory.CONTACT)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        key="sarah",
        summary=(
            "Aide à domicile en CDD à temps partiel, mère seule d'une petite fille de 2 ans ; "
            "pas le temps d'aller à Cahors aux heures d'ouverture."
        ),
        opened_by="agent",
        account="sarah",
        title=Title.MRS,
        first_names="Sarah",
        last_name="Fournié",
        born=Birthday(28, 3, 14),
        commune="46105",  # Flaujac-Poujols, CC du Pays de Lalbenque-Limogne
        address="5 chemin des Vignes",
        phone="+33536491001",
        email=f"sarah.fournie@{EMAIL_DOMAIN}",
        preferred_channel=ContactChannel.SMS,
        digital_autonomy=DigitalAutonomy.AUTONOMOUS,
        housing_status=HousingStatus.TENANT,
        monthly_rent=Decimal("480.00"),
        monthly_resources=Decimal("1080.00"),
        resources_description="Salaire d'aide à domicile (CDD successifs, environ 24 heures par semaine)",
        health_insurance=HealthInsurance.GENERAL,
        has_complementary_health=True,
        household=(Member("Léna", "Fournié", Birthday(2, 6, 9), Relationship.CHILD, is_dependent=True),),
        consents=(
            ConsentGrant(
                CAF,
                (DataCategory.IDENTITY, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.RIGHTS_CHECK, Purpose.CASE_MANAGEMENT),
                years=2,
            ),
            ConsentGrant(
                FRANCE_SERVICES,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.ACCOMPANIMENT, Purpose.RIGHTS_CHECK),
            ),
        ),
    ),
    Persona(
        key="sebastien",
        summary=(
            "Demandeur d'emploi de très longue durée, sans voiture ni ressources, hébergé par son frère ; "
            "rencontré au bus France services, il n'a jamais demandé le RSA."
        ),
        opened_by="agent-bus",
        title=Title.MR,
        first_names="Sébastien",
        last_name="Cayla",
        born=Birthday(45, 10, 2),
        commune="46171",  # Lherm, a stop of the Grand Cahors bus
        address="3 impasse du Lavoir",
        phone="+33536491002",
        preferred_channel=ContactChannel.PHONE,
        digital_autonomy=DigitalAutonomy.NEEDS_SOMEONE,
        housing_status=HousingStatus.HOSTED,
        monthly_resources=Decimal("0.00"),
        resources_description="Aucune ressource depuis la fin de ses droits à l'allocation de solidarité spécifique",
        health_insurance=HealthInsurance.GENERAL,
        has_complementary_health=False,
        consents=(
            ConsentGrant(
                GRAND_CAHORS,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.ACCOMPANIMENT, Purpose.RIGHTS_CHECK),
            ),
            ConsentGrant(
                FRANCE_TRAVAIL,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.REFERRAL, Purpose.CASE_MANAGEMENT),
            ),
            # The CAF instructs the RSA he never claimed: the bus agent can refer him there.
            ConsentGrant(
                CAF,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.REFERRAL, Purpose.CASE_MANAGEMENT),
            ),
            ConsentGrant(
                DEPARTEMENT,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.REFERRAL, Purpose.CASE_MANAGEMENT),
                years=2,
            ),
        ),
    ),
    Persona(
        key="roseline",
        summary=(
            "Veuve de 82 ans vivant seule sur le causse, en perte d'autonomie (GIR 4), "
            "n'a jamais utilisé internet ; le courrier est son seul moyen de contact."
        ),
        opened_by="agent",
        title=Title.MRS,
        first_names="Roseline",
        last_name="Vayssière",
        birth_name="Bouscarel",
        born=Birthday(82, 4, 27),
        commune="46310",  # Soulomès, CC du Causse de Labastide Murat
        address="2 place de l'Église",
        phone="+33536491003",
        preferred_channel=ContactChannel.LETTER,
        digital_autonomy=DigitalAutonomy.NEEDS_SOMEONE,
        housing_status=HousingStatus.OWNER,
        monthly_resources=Decimal("1140.00"),
        resources_description="Retraite de base, retraite complémentaire et pension de réversion",
        health_insurance=HealthInsurance.GENERAL,
        has_complementary_health=True,
        autonomy_gir=4,
        # No consent to the CAF nor to the CPAM: their referents must be refused her file.
        consents=(
            ConsentGrant(
                DEPARTEMENT,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HEALTH_AUTONOMY),
                (Purpose.CASE_MANAGEMENT,),
                years=2,
            ),
            ConsentGrant(
                FRANCE_SERVICES,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HEALTH_AUTONOMY),
                (Purpose.ACCOMPANIMENT, Purpose.MOBILITY),
            ),
        ),
    ),
    Persona(
        key="martine",
        summary=(
            "Exploitante agricole (brebis et truffes) avec son mari, un fils lycéen ; "
            "revenus de la ferme faibles et irréguliers, affiliés à la MSA."
        ),
        opened_by="agent",
        title=Title.MRS,
        first_names="Martine",
        last_name="Couderc",
        birth_name="Lagarrigue",
        born=Birthday(56, 9, 18),
        commune="46329",  # Vaylats, CC du Pays de Lalbenque-Limogne
        address="1 chemin de la Combe",
        phone="+33536491004",
        preferred_channel=ContactChannel.PHONE,
        digital_autonomy=DigitalAutonomy.WITH_HELP,
        housing_status=HousingStatus.OWNER,
        monthly_resources=Decimal("1350.00"),
        resources_description="Revenus agricoles de l'exploitation (élevage ovin, truffes), très variables",
        health_insurance=HealthInsurance.AGRICULTURAL,
        has_complementary_health=True,
        household=(
            Member("Jean-Pierre", "Couderc", Birthday(58, 2, 3), Relationship.SPOUSE),
            Member("Théo", "Couderc", Birthday(17, 11, 5), Relationship.CHILD, is_dependent=True),
        ),
        consents=(
            ConsentGrant(
                MSA,
                (DataCategory.IDENTITY, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.RIGHTS_CHECK, Purpose.CASE_MANAGEMENT),
                years=2,
            ),
        ),
    ),
    Persona(
        key="lucas",
        summary=(
            "19 ans, sorti du lycée sans diplôme, suivi par la Mission locale en contrat d'engagement jeune ; "
            "sans permis, il vit chez sa mère."
        ),
        opened_by="agent",
        title=Title.MR,
        first_names="Lucas",
        last_name="Marty",
        born=Birthday(19, 7, 22),
        commune="46173",  # Limogne-en-Quercy
        address="8 rue du Château d'eau",
        phone="+33536491005",
        email=f"lucas.marty@{EMAIL_DOMAIN}",
        preferred_channel=ContactChannel.SMS,
        digital_autonomy=DigitalAutonomy.WITH_HELP,
        housing_status=HousingStatus.HOSTED,
        monthly_resources=Decimal("545.00"),
        resources_description="Allocation du contrat d'engagement jeune",
        health_insurance=HealthInsurance.GENERAL,
        has_complementary_health=False,
        consents=(
            ConsentGrant(
                MISSION_LOCALE,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.ACCOMPANIMENT, Purpose.MOBILITY),
            ),
        ),
    ),
    Persona(
        key="kevin",
        summary=(
            "Père seul de deux enfants, au RSA depuis la fermeture de l'entreprise de transport qui l'employait ; "
            "locataire d'un logement social."
        ),
        opened_by="agent-bus",
        title=Title.MR,
        first_names="Kévin",
        last_name="Bouyssou",
        born=Birthday(37, 5, 30),
        commune="46224",  # Pradines, CA du Grand Cahors
        address="14 allée des Peupliers",
        phone="+33536491006",
        preferred_channel=ContactChannel.SMS,
        digital_autonomy=DigitalAutonomy.WITH_HELP,
        housing_status=HousingStatus.SOCIAL_TENANT,
        monthly_rent=Decimal("410.00"),
        monthly_resources=Decimal("1290.00"),
        resources_description="RSA, allocations familiales et aide personnalisée au logement",
        health_insurance=HealthInsurance.GENERAL,
        has_complementary_health=True,
        household=(
            Member("Noah", "Bouyssou", Birthday(9, 1, 12), Relationship.CHILD, is_dependent=True),
            Member("Jade", "Bouyssou", Birthday(6, 8, 24), Relationship.CHILD, is_dependent=True),
        ),
        consents=(
            ConsentGrant(
                CAF,
                (DataCategory.IDENTITY, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.RIGHTS_CHECK, Purpose.CASE_MANAGEMENT),
                years=2,
            ),
            ConsentGrant(DEPARTEMENT, _ID_CONTACT, (Purpose.CASE_MANAGEMENT,)),
        ),
    ),
    Persona(
        key="celine",
        summary=(
            "Adulte en situation de handicap moteur, bénéficiaire de l'AAH, en fauteuil ; "
            "à l'aise en ligne mais sans transport adapté pour ses rendez-vous."
        ),
        opened_by="agent",
        title=Title.MRS,
        first_names="Céline",
        last_name="Garrigues",
        born=Birthday(41, 12, 8),
        commune="46268",  # Saint Géry-Vers
        address="6 rue de la Mairie",
        phone="+33536491007",
        email=f"celine.garrigues@{EMAIL_DOMAIN}",
        preferred_channel=ContactChannel.EMAIL,
        digital_autonomy=DigitalAutonomy.AUTONOMOUS,
        housing_status=HousingStatus.SOCIAL_TENANT,
        monthly_rent=Decimal("350.00"),
        monthly_resources=Decimal("1033.00"),
        resources_description="Allocation aux adultes handicapés (AAH)",
        health_insurance=HealthInsurance.GENERAL,
        has_complementary_health=True,
        disability_recognised=True,
        consents=(
            ConsentGrant(
                MDPH,
                (DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.HEALTH_AUTONOMY),
                (Purpose.CASE_MANAGEMENT,),
                years=2,
            ),
            ConsentGrant(CAF, (DataCategory.IDENTITY, DataCategory.HOUSEHOLD_INCOME), (Purpose.CASE_MANAGEMENT,)),
        ),
    ),
    Persona(
        key="gerard",
        summary=(
            "Couple de retraités (ancien maçon artisan, épouse sans carrière complète) aux petites pensions, "
            "sans complémentaire santé ; leur fille les aide pour les démarches."
        ),
        opened_by="agent",
        title=Title.MR,
        first_names="Gérard",
        last_name="Lafage",
        born=Birthday(76, 10, 11),
        commune="46262",  # Lendou-en-Quercy, CC du Quercy Blanc
        address="12 rue de l'Église",
        phone="+33536491008",
        preferred_channel=ContactChannel.LETTER,
        digital_autonomy=DigitalAutonomy.WITH_HELP,
        housing_status=HousingStatus.OWNER,
        monthly_resources=Decimal("1290.00"),
        resources_description="Deux petites retraites (régime général des artisans et retraite de la conjointe)",
        health_insurance=HealthInsurance.GENERAL,
        has_complementary_health=False,
        household=(Member("Josette", "Lafage", Birthday(73, 3, 2), Relationship.SPOUSE),),
        consents=(
            ConsentGrant(CARSAT, (DataCategory.IDENTITY, DataCategory.HOUSEHOLD_INCOME), (Purpose.RIGHTS_CHECK,)),
            # Offered help with the household budget, then changed his mind: the ledger
            # shows the withdrawal.
            ConsentGrant(
                UDAF,
                (DataCategory.IDENTITY, DataCategory.HOUSEHOLD_INCOME),
                (Purpose.ACCOMPANIMENT,),
                revoked=True,
            ),
        ),
    ),
)


def persona(key: str) -> Persona:
    return next(p for p in PERSONAS if p.key == key)


def account(username: str) -> DemoAccount:
    return next(a for a in ACCOUNTS if a.username == username)
