"""Generate N plausible households of the Cahors area in the rights batch CSV format.

    python benchmarks/generate_households.py 22000 out.csv [--bad 0.01] [--seed 1] [--month 2026-11]

The format is `carte_blanche.rights.engine.batch` (docs/rights-batch.md). Households are drawn
from the territory's mix: singles, single parents with 1–3 children, couples with or without
children, elderly people alone or in a couple; employed full-time or part-time, unemployed with
or without ARE, retired, disabled (AAH) adults; private tenants (rents of 280–750 €), social
housing, owners, buyers, hosted people; a GIR and an APA plan for some elderly people; communes
drawn from data/territories/cahors/communes.csv by population. `--bad 0.01` replaces 1 % of the
rows by a wrong one (impossible date, negative rent, malformed INSEE code, unknown value…), which
the batch must report row by row. The same seed gives the same file. `-` writes to stdout.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from carte_blanche.rights.engine.batch import COLUMN_NAMES  # noqa: E402

COMMUNES_CSV = ROOT / "data" / "territories" / "cahors" / "communes.csv"

HOUSEHOLD_TYPES = (  # (type, weight)
    ("single", 22),
    ("single_parent", 9),
    ("couple", 15),
    ("couple_children", 22),
    ("elderly_single", 18),
    ("elderly_couple", 14),
)
RECEIVED_SHARE = 0.6  # share of probable rights a household already claims, roughly


def load_communes(path: Path = COMMUNES_CSV) -> tuple[list[str], list[int]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["insee_code"] for r in rows], [int(r["population"]) for r in rows]


class Generator:
    def __init__(self, seed: int | None, month: str):
        self.rnd = random.Random(seed)
        self.month = month
        year, mon = (int(x) for x in month.split("-"))
        self.start = date(year, mon, 1)
        self.communes, self.populations = load_communes()

    # -- helpers -----------------------------------------------------------------------------------

    def birth(self, age_min: int, age_max: int) -> date:
        age_days = self.rnd.randint(age_min * 365 + 1, age_max * 365 + 360)
        return self.start - timedelta(days=age_days)

    def money(self, low: float, high: float) -> str:
        return f"{self.rnd.uniform(low, high):.2f}"

    def working_adult(self, prefix: str, row: dict, *, can_be_disabled: bool = True) -> None:
        r = self.rnd.random()
        if can_be_disabled and r < 0.06:  # disabled adult, often on AAH
            row[f"{prefix}_activity"] = "inactif"
            row[f"{prefix}_disability_rate"] = self.rnd.choice(["80", "80", "50", "60"])
            if row[f"{prefix}_disability_rate"] != "80":
                row[f"{prefix}_employment_restriction"] = "oui"
            return
        if r < 0.52:  # full time
            row[f"{prefix}_activity"] = "actif"
            row[f"{prefix}_work_time"] = "temps_plein"
            row[f"{prefix}_contract"] = self.rnd.choice(["cdi", "cdi", "cdi", "cdd"])
            salary = self.rnd.uniform(1_430, 2_700)
            row[f"{prefix}_salary"] = f"{salary:.2f}"
            return
        if r < 0.72:  # part time, often on short contracts
            hours = self.rnd.choice([60, 70, 80, 86.67, 100, 104, 110, 120, 130])
            row[f"{prefix}_activity"] = "actif"
            row[f"{prefix}_work_time"] = "temps_partiel"
            row[f"{prefix}_monthly_hours"] = f"{hours:g}"
            contract = self.rnd.choice(["cdi", "cdd", "cdd", "ctt"])
            row[f"{prefix}_contract"] = contract
            salary = hours * self.rnd.uniform(9.4, 11.5)
            row[f"{prefix}_salary"] = f"{salary:.2f}"
            if contract != "cdi" and self.rnd.random() < 0.5:
                row[f"{prefix}_salary_12m"] = f"{salary * self.rnd.uniform(7, 12):.2f}"
            return
        if r < 0.92:  # job seeker
            row[f"{prefix}_activity"] = "chomeur"
            row[f"{prefix}_unemployment_start"] = (self.start - timedelta(days=self.rnd.randint(30, 1500))).isoformat()
            if self.rnd.random() < 0.55:
                row[f"{prefix}_unemployment"] = self.money(650, 1_500)
            elif self.rnd.random() < 0.3:
                row[f"{prefix}_ass_work_history"] = "oui"
            return
        row[f"{prefix}_activity"] = "inactif"

    def retired_adult(self, prefix: str, row: dict, age: int) -> None:
        row[f"{prefix}_activity"] = "retraite"
        row[f"{prefix}_pension"] = self.money(650, 2_300) if self.rnd.random() > 0.1 else self.money(0, 600)
        if age >= 75 and self.rnd.random() < 0.25:
            gir = self.rnd.choice([2, 3, 4, 4, 4, 5, 6])
            row[f"{prefix}_gir"] = str(gir)
            if gir <= 4:
                row[f"{prefix}_home_help_plan"] = self.money(250, 900)

    def housing(self, row: dict, kind: str, elderly: bool) -> None:
        r = self.rnd.random()
        if elderly:
            status = "proprietaire" if r < 0.75 else "locataire_vide" if r < 0.9 else "locataire_hlm"
        elif kind == "single" and r < 0.12:
            status = "loge_gratuitement"
        elif r < 0.42:
            status = "locataire_vide"
        elif r < 0.50:
            status = "locataire_meuble"
        elif r < 0.65:
            status = "locataire_hlm"
        elif r < 0.80:
            status = "primo_accedant"
        else:
            status = "proprietaire"
        row["housing_status"] = status
        if status in ("locataire_vide", "locataire_meuble"):
            row["rent"] = f"{self.rnd.randint(280, 750)}"
            row["charges"] = f"{self.rnd.choice([0, 20, 30, 50, 80])}"
        elif status == "locataire_hlm":
            row["rent"] = f"{self.rnd.randint(250, 480)}"
            row["charges"] = f"{self.rnd.randint(40, 120)}"
        elif status == "primo_accedant":
            row["rent"] = f"{self.rnd.randint(450, 1_100)}"

    def children(self, row: dict, count: int, *, parent_age: int) -> None:
        oldest = max(0, min(20, parent_age - 18))
        births = sorted((self.birth(0, oldest) for _ in range(count)), reverse=True)
        row["children_birth_dates"] = ";".join(b.isoformat() for b in births)
        youngest_age = (self.start - births[0]).days // 365
        working = row.get("applicant_activity") == "actif"
        if youngest_age < 6 and working and self.rnd.random() < 0.4:
            row["childcare"] = "assistante_maternelle"

    def already_received(self, row: dict) -> None:
        # Codes a household of this shape would commonly claim; each kept with RECEIVED_SHARE.
        candidates = []
        if row["housing_status"].startswith("locataire"):
            candidates.append("aide_logement")
        if row.get("applicant_activity") == "chomeur" and not row.get("applicant_unemployment"):
            candidates.append("rsa")
        if row.get("applicant_activity") == "actif" and float(row.get("applicant_salary") or 0) < 1_600:
            candidates.append("ppa")
        if len(row.get("children_birth_dates", "").split(";")) >= 2:
            candidates.append("af")
        if row.get("applicant_disability_rate"):
            candidates.append("aah")
        if row.get("applicant_home_help_plan"):
            candidates.append("apa")
        row["already_received"] = ";".join(c for c in candidates if self.rnd.random() < RECEIVED_SHARE)

    # -- one household -----------------------------------------------------------------------------

    def household(self, number: int) -> dict[str, str]:
        row = dict.fromkeys(COLUMN_NAMES, "")
        row["household_id"] = f"F{number:06d}"
        row["month"] = self.month
        row["commune_insee"] = self.rnd.choices(self.communes, weights=self.populations)[0]
        kind = self.rnd.choices([t for t, _ in HOUSEHOLD_TYPES], weights=[w for _, w in HOUSEHOLD_TYPES])[0]
        elderly = kind.startswith("elderly")
        if elderly:
            age = self.rnd.randint(63, 95)
            row["applicant_birth_date"] = self.birth(age, age).isoformat()
            self.retired_adult("applicant", row, age)
            if kind == "elderly_couple":
                partner_age = max(60, min(98, age + self.rnd.randint(-5, 5)))
                row["partner_birth_date"] = self.birth(partner_age, partner_age).isoformat()
                self.retired_adult("partner", row, partner_age)
            row["savings"] = self.money(0, 40_000) if self.rnd.random() < 0.6 else ""
        else:
            with_children = kind in ("single_parent", "couple_children")
            age = self.rnd.randint(22, 55) if with_children else self.rnd.randint(18, 62)
            row["applicant_birth_date"] = self.birth(age, age).isoformat()
            self.working_adult("applicant", row)
            if kind.startswith("couple"):
                partner_age = max(18, min(64, age + self.rnd.randint(-6, 6)))
                row["partner_birth_date"] = self.birth(partner_age, partner_age).isoformat()
                self.working_adult("partner", row)
            if with_children:
                self.children(row, self.rnd.choice([1, 1, 2, 2, 3]), parent_age=age)
            if kind == "single_parent":
                row["other_parent_pays_maintenance"] = self.rnd.choice(["oui", "non", "non", ""])
                if row["other_parent_pays_maintenance"] == "oui":
                    row["applicant_alimony"] = self.money(100, 350)
            row["savings"] = self.money(0, 8_000) if self.rnd.random() < 0.5 else ""
        if self.rnd.random() < 0.08 and not elderly:
            row["applicant_pregnant"] = "oui" if row["applicant_birth_date"] > "1985" else ""
        self.housing(row, kind, elderly)
        self.already_received(row)
        return row

    # -- bad rows ----------------------------------------------------------------------------------

    BAD_KINDS = (
        "bad_date",
        "negative_rent",
        "bad_insee",
        "unknown_status",
        "unknown_activity",
        "bad_number",
        "bad_month",
        "child_too_old",
        "unknown_benefit",
        "missing_birth_date",
    )

    def spoil(self, row: dict[str, str]) -> dict[str, str]:
        kind = self.rnd.choice(self.BAD_KINDS)
        if kind == "bad_date":
            row["applicant_birth_date"] = self.rnd.choice(["1985-02-30", "31/13/1980", "12-06-1985"])
        elif kind == "negative_rent":
            row["housing_status"] = "locataire_vide"
            row["rent"] = "-" + str(self.rnd.randint(100, 600))
        elif kind == "bad_insee":
            row["commune_insee"] = self.rnd.choice(["461", "4A105", "Cahors"])
        elif kind == "unknown_status":
            row["housing_status"] = self.rnd.choice(["locataire", "HLM", "colocataire"])
        elif kind == "unknown_activity":
            row["applicant_activity"] = self.rnd.choice(["fonctionnaire", "independant"])
        elif kind == "bad_number":
            row["applicant_salary"] = self.rnd.choice(["mille", "1 200 euros", "12OO"])
        elif kind == "bad_month":
            row["month"] = self.rnd.choice(["2026-13", "11/2026"])
        elif kind == "child_too_old":
            row["children_birth_dates"] = ";".join(
                filter(None, [row["children_birth_dates"], self.birth(30, 40).isoformat()])
            )
        elif kind == "unknown_benefit":
            row["already_received"] = ";".join(filter(None, [row["already_received"], "apl_jeune"]))
        else:
            row["applicant_birth_date"] = ""
        return row

    def rows(self, count: int, bad_share: float):
        bad = set(self.rnd.sample(range(count), round(count * bad_share))) if bad_share > 0 else set()
        for i in range(count):
            row = self.household(i + 1)
            yield self.spoil(row) if i in bad else row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Ménages plausibles du bassin de Cahors, au format du batch droits.")
    parser.add_argument("count", type=int, help="nombre de foyers")
    parser.add_argument("output", help="fichier CSV à écrire, ou - pour la sortie standard")
    parser.add_argument("--bad", type=float, default=0.0, help="part de lignes erronées, entre 0 et 1 (ex. 0.01)")
    parser.add_argument("--seed", type=int, default=None, help="graine : même graine, même fichier")
    parser.add_argument("--month", default="2026-11", help="mois de calcul, AAAA-MM (défaut : 2026-11)")
    args = parser.parse_args(argv)
    if args.count < 0 or not 0 <= args.bad <= 1:
        parser.error("count doit être positif et --bad compris entre 0 et 1")
    generator = Generator(args.seed, args.month)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        writer = csv.DictWriter(out, fieldnames=COLUMN_NAMES, lineterminator="\n")
        writer.writeheader()
        writer.writerows(generator.rows(args.count, args.bad))
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    main()
