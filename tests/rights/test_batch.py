"""The rights batch ("aller vers"): CSV rows in, one result row per household out, in order.

Most tests replace `engine.compute` by a fake twin (a result built from the household, in
microseconds) to check parsing, ordering, chunking and the command; two module-scoped fixtures
compute for real with OpenFisca (a chunk with bad rows, and the command on a generated file).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from benchmarks.generate_households import Generator
from carte_blanche.rights import engine
from carte_blanche.rights.engine import (
    BENEFITS,
    Activity,
    BenefitResult,
    CheckResult,
    Frequency,
    HousingStatus,
    IncomeKind,
    Role,
    SituationError,
    Status,
    WorkTime,
    batch,
)
from carte_blanche.rights.management.commands import rights_batch

MONTH = "2026-11"

SARAH = {
    "household_id": "SARAH",
    "month": MONTH,
    "commune_insee": "46105",
    "housing_status": "locataire_vide",
    "rent": "450",
    "applicant_birth_date": "1998-03-10",
    "applicant_activity": "actif",
    "applicant_work_time": "temps_partiel",
    "applicant_monthly_hours": "100",
    "applicant_contract": "cdd",
    "applicant_salary": "1000",
    "children_birth_dates": "2024-08-15",
    "childcare": "assistante_maternelle",
    "other_parent_pays_maintenance": "non",
    "already_received": "paje_base",
}
SEBASTIEN = {
    "household_id": "SEBASTIEN",
    "month": MONTH,
    "commune_insee": "46166",
    "housing_status": "loge_gratuitement",
    "applicant_birth_date": "1981-05-20",
    "applicant_activity": "chomeur",
    "applicant_unemployment_start": "2019-01-07",
}
ROSELINE = {
    "household_id": "ROSELINE",
    "month": MONTH,
    "commune_insee": "46309",
    "housing_status": "proprietaire",
    "applicant_birth_date": "1944-06-15",
    "applicant_activity": "retraite",
    "applicant_pension": "850",
    "applicant_gir": "4",
    "applicant_home_help_plan": "500",
}

# One wrong cell per row: the column named in the error, and a piece of the engine's French message.
BAD_CELLS = [
    ({"applicant_birth_date": "1985-02-30"}, "applicant_birth_date", "n'est pas une date"),
    ({"applicant_birth_date": "31/13/1980"}, "applicant_birth_date", "n'est pas une date"),
    ({"applicant_birth_date": ""}, "applicant_birth_date", "obligatoire"),
    ({"rent": "-120"}, "rent", "ne peuvent pas être négatifs"),
    ({"commune_insee": "4A105"}, "commune_insee", "code INSEE"),
    ({"housing_status": "hlm"}, "housing_status", "Valeur « hlm » inconnue"),
    ({"applicant_activity": "fonctionnaire"}, "applicant_activity", "valeurs possibles : actif"),
    ({"applicant_salary": "mille"}, "applicant_salary", "« mille » n'est pas un nombre"),
    ({"applicant_salary_12m": "200"}, "applicant_salary_12m", "12 derniers mois"),
    ({"applicant_monthly_hours": ""}, "applicant_monthly_hours", "heures payées"),
    ({"month": "2026-13"}, "month", "AAAA-MM"),
    ({"children_birth_dates": "2024-08-15;1990-01-01"}, "children_birth_dates", "enfant n° 2 : Un enfant"),
    ({"already_received": "paje_base;apl_jeune"}, "already_received", "Prestations inconnues : apl_jeune"),
    ({"partner_salary": "1200"}, "partner_birth_date", "obligatoire"),
    ({"other_parent_pays_maintenance": "peut-être"}, "other_parent_pays_maintenance", "oui ou non attendu"),
    ({"applicant_gir": "9"}, "applicant_gir", "GIR"),
    ({"household_id": ""}, "household_id", "obligatoire"),
]


def fake_result(household) -> CheckResult:
    """A deterministic stand-in: RSA "eligible" for the household's rent, PPA for its salary."""
    salary = sum(
        (i.last_3_months[-1] for m in household.members for i in m.incomes if i.kind is IncomeKind.SALARY), 0.0
    )
    benefits = []
    for b in BENEFITS:
        amount = {"rsa": household.housing.rent or 1.0, "ppa": salary}.get(b.code, 0.0)
        status = Status.ELIGIBLE if amount else Status.NOT_ELIGIBLE
        benefits.append(
            BenefitResult(
                code=b.code,
                label=b.label,
                status=status,
                amount=amount,
                frequency=b.frequency,
                period=household.month if b.frequency is Frequency.MONTHLY else household.month[:4],
                already_received=b.code in household.already_received,
            )
        )
    return CheckResult(month=household.month, benefits=tuple(benefits), openfisca_version="openfisca-france fake")


@pytest.fixture
def fake_engine(monkeypatch):
    calls: list[int] = []

    def compute(households, *, chunk_size=None):
        calls.append(len(households))
        return [fake_result(h) for h in households]

    monkeypatch.setattr(engine, "compute", compute)
    monkeypatch.setattr(rights_batch, "warm_up", lambda: None)
    return calls


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict], *, fieldnames=None, delimiter=",") -> Path:
    fieldnames = fieldnames or list(batch.COLUMN_NAMES)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def numbered(count: int, *, bad_every: int = 0) -> list[dict]:
    rows = []
    for i in range(count):
        row = dict(SARAH, household_id=f"H{i:03d}", rent=str(300 + i))
        if bad_every and i % bad_every == bad_every - 1:
            row["rent"] = "-1"
        rows.append(row)
    return rows


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("rights_batch", *args, no_progress=True, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# --- reading a row --------------------------------------------------------------------------------


def test_sarahs_row_reads_as_her_household():
    household = batch.parse_row(SARAH)
    applicant = household.applicant
    assert household.month == MONTH and household.partner is None and len(household.children) == 1
    assert applicant.role is Role.APPLICANT and applicant.activity is Activity.EMPLOYED
    assert applicant.work_time is WorkTime.PART_TIME and applicant.monthly_hours == 100
    salary = applicant.income(IncomeKind.SALARY)
    assert salary.last_3_months == (1000, 1000, 1000) and salary.last_12_months == 12_000
    assert household.housing.status is HousingStatus.TENANT_PRIVATE and household.housing.rent == 450
    assert household.other_parent_pays_maintenance is False and household.already_received == {"paje_base"}


def test_cells_are_read_the_way_a_data_team_writes_them():
    row = dict(
        SARAH,
        applicant_birth_date="10/03/1998",
        applicant_work_time="Temps partiel",
        housing_status="LOCATAIRE_VIDE",
        applicant_salary="1 000,50 €",
        applicant_salary_12m="9000",
        other_parent_pays_maintenance="Oui",
        children_birth_dates="15/08/2024, 2020-01-02",
        already_received="PAJE_BASE ; af",
        partner_salary="0",  # a zero in a partner column is no partner
        commune_insee="1053",  # the leading zero a spreadsheet drops
    )
    household = batch.parse_row(row)
    applicant = household.applicant
    assert applicant.birth_date.isoformat() == "1998-03-10" and applicant.work_time is WorkTime.PART_TIME
    assert applicant.income(IncomeKind.SALARY).last_3_months[0] == 1000.5
    assert applicant.income(IncomeKind.SALARY).last_12_months == 9000
    assert household.other_parent_pays_maintenance is True and household.partner is None
    assert [c.birth_date.isoformat() for c in household.children] == ["2024-08-15", "2020-01-02"]
    assert household.already_received == {"paje_base", "af"} and household.housing.commune_insee == "01053"


def test_a_couple_with_a_partner_salary():
    row = dict(SARAH, partner_birth_date="1995-01-01", partner_activity="actif", partner_salary="1500")
    household = batch.parse_row(row)
    assert (
        household.partner.role is Role.PARTNER and household.partner.income(IncomeKind.SALARY).last_12_months == 18_000
    )


@pytest.mark.parametrize(("cells", "column", "message"), BAD_CELLS, ids=[b[1] + ":" + str(b[0]) for b in BAD_CELLS])
def test_each_kind_of_bad_cell_names_its_column_in_french(cells, column, message):
    with pytest.raises(SituationError) as caught:
        batch.parse_row(dict(SARAH, **cells))
    assert any(e.field == column and message in e.message for e in caught.value.errors), caught.value.errors
    formatted = batch.format_error("X", caught.value)
    assert f"{column} : " in formatted["error"] and message in formatted["error"]


def test_the_default_month_fills_empty_cells_only():
    assert batch.parse_row(dict(SARAH, month=""), default_month="2026-10").month == "2026-10"
    assert batch.parse_row(SARAH, default_month="2026-10").month == MONTH


def test_columns_are_checked():
    assert batch.missing_columns(["household_id", "month", "rent"]) == [
        "commune_insee",
        "housing_status",
        "applicant_birth_date",
    ]
    assert "month" not in batch.missing_columns(["household_id"], month_given=True)
    assert batch.unknown_columns(["household_id", "aplicant_salary"]) == ["aplicant_salary"]


# --- writing a result -----------------------------------------------------------------------------


def test_result_columns_and_an_error_row():
    columns = batch.result_columns()
    assert columns[:3] == ["household_id", "rsa_status", "rsa_amount"]
    assert columns[-4:] == ["unclaimed", "unclaimed_monthly_total", "openfisca_version", "error"]
    assert len(columns) == 5 + 2 * len(BENEFITS)
    row = batch.format_error("H1", SituationError([engine.FieldError("rent", "Loyer négatif.")]))
    assert row["error"] == "rent : Loyer négatif." and row["household_id"] == "H1"
    assert all(row[c] == "" for c in columns if c not in ("household_id", "error"))


def test_a_result_row_lists_unclaimed_rights():
    row = batch.format_result("SARAH", fake_result(batch.parse_row(dict(SARAH, already_received="rsa"))))
    assert row["rsa_status"] == "eligible" and row["rsa_amount"] == "450.00"
    assert row["ppa_status"] == "eligible" and row["ppa_amount"] == "1000.00"
    assert row["af_status"] == "not_eligible" and row["af_amount"] == "0.00"
    assert row["unclaimed"] == "ppa" and row["unclaimed_monthly_total"] == "1000.00"
    assert row["error"] == "" and row["openfisca_version"] == "openfisca-france fake"


# --- a chunk --------------------------------------------------------------------------------------


def test_a_chunk_keeps_order_and_computes_valid_rows_in_one_call(fake_engine):
    rows = numbered(9, bad_every=3)
    out = batch.compute_rows(rows)
    assert [r["household_id"] for r in out] == [r["household_id"] for r in rows]
    assert fake_engine == [6]
    assert [bool(r["error"]) for r in out] == [False, False, True] * 3
    assert out[0]["rsa_amount"] == "300.00" and out[4]["rsa_amount"] == "304.00"


def test_an_engine_failure_fails_the_chunk_not_the_batch(monkeypatch):
    def broken(households, *, chunk_size=None):
        raise MemoryError("plus de mémoire")

    monkeypatch.setattr(engine, "compute", broken)
    out = batch.compute_rows(numbered(4, bad_every=4))
    assert [r["error"][:18] for r in out[:3]] == ["Calcul impossible "] * 3
    assert "MemoryError" in out[0]["error"] and out[3]["error"].startswith("rent : ")


# --- the command ----------------------------------------------------------------------------------


def test_chunks_cross_boundaries_in_input_order(tmp_path, fake_engine):
    source = write_csv(tmp_path / "in.csv", numbered(10, bad_every=4))
    out, _ = run(str(source), str(tmp_path / "out.csv"), chunk_size=3, processes=1)
    rows = rows_of(tmp_path / "out.csv")
    assert [r["household_id"] for r in rows] == [f"H{i:03d}" for i in range(10)]
    assert fake_engine == [3, 2, 2, 1]  # rows 3 and 7 are wrong
    assert [r["rsa_amount"] for r in rows if not r["error"]][:3] == ["300.00", "301.00", "302.00"]
    assert "10 foyers lus, 8 calculés, 2 en erreur" in out.replace("\u202f", "")


def test_a_pool_of_processes_keeps_input_order(tmp_path, fake_engine):
    source = write_csv(tmp_path / "in.csv", numbered(23, bad_every=5))
    run(str(source), str(tmp_path / "out.csv"), chunk_size=4, processes=2, in_flight=3)
    rows = rows_of(tmp_path / "out.csv")
    assert [r["household_id"] for r in rows] == [f"H{i:03d}" for i in range(23)]
    assert [r["rsa_amount"] for r in rows[:2]] == ["300.00", "301.00"] and rows[4]["error"].startswith("rent")


def test_celery_chunks_run_eagerly_without_a_broker(tmp_path, fake_engine):
    source = write_csv(tmp_path / "in.csv", numbered(7))
    run(str(source), str(tmp_path / "out.csv"), chunk_size=3, celery=True)
    assert [r["household_id"] for r in rows_of(tmp_path / "out.csv")] == [f"H{i:03d}" for i in range(7)]
    assert fake_engine == [3, 3, 1]


def test_semicolons_a_default_month_and_unknown_columns(tmp_path, fake_engine):
    rows = [dict(SARAH, month="", typo_column="x")]
    fieldnames = [*batch.COLUMN_NAMES, "typo_column"]
    source = write_csv(tmp_path / "in.csv", rows, fieldnames=fieldnames, delimiter=";")
    _, err = run(str(source), str(tmp_path / "out.csv"), month="2026-10", processes=1)
    assert "Colonnes inconnues, ignorées : typo_column." in err
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert text.startswith("household_id;rsa_status;") and "SARAH;eligible;450.00" in text


def test_missing_required_columns_are_named(tmp_path, fake_engine):
    source = write_csv(tmp_path / "in.csv", [SARAH], fieldnames=["household_id", "month", "rent"])
    with pytest.raises(CommandError, match="commune_insee, housing_status, applicant_birth_date"):
        run(str(source), str(tmp_path / "out.csv"))


def test_a_missing_input_file_is_a_french_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(str(tmp_path / "absent.csv"), str(tmp_path / "out.csv"))
    with pytest.raises(CommandError, match="est un dossier"):
        run(str(tmp_path), str(tmp_path / "out.csv"))


def test_a_file_in_another_encoding_says_which_option_to_use(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(
        ",".join(batch.REQUIRED_COLUMNS).encode() + "\nÉ,2026-11,46105,proprietaire,1950-01-01\n".encode("cp1252")
    )
    with pytest.raises(CommandError, match="--encoding cp1252"):
        run(str(source), str(tmp_path / "out.csv"))


@pytest.mark.parametrize("content", ["", ",".join(batch.COLUMN_NAMES) + "\n"], ids=["empty", "header only"])
def test_an_empty_file_gives_an_empty_output_with_header(tmp_path, fake_engine, content):
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    out, _ = run(str(source), str(tmp_path / "out.csv"))
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == ",".join(batch.result_columns()) + "\n"
    assert fake_engine == [] and out.startswith("0 foyer lu, 0 calculé, 0 en erreur")


# --- for real, with OpenFisca (a few calls, several households each) -------------------------------


@pytest.fixture(scope="module")
def computed_chunk():
    rows = [SARAH, dict(SARAH, household_id="BAD-RENT", rent="-10"), SEBASTIEN, ROSELINE]
    rows += [dict(SARAH, household_id=f"BAD-{i}", **cells) for i, (cells, _, _) in enumerate(BAD_CELLS[:5])]
    return batch.compute_rows(rows)


def test_a_real_chunk_computes_the_personas_and_reports_bad_rows(computed_chunk):
    by_id = {r["household_id"]: r for r in computed_chunk}
    assert [r["household_id"] for r in computed_chunk][:4] == ["SARAH", "BAD-RENT", "SEBASTIEN", "ROSELINE"]
    sarah = by_id["SARAH"]
    assert sarah["error"] == "" and sarah["openfisca_version"].startswith("openfisca-france ")
    assert sarah["ppa_status"] == "eligible" and 150 < float(sarah["ppa_amount"]) < 450
    assert sarah["aide_logement_status"] == "eligible" and sarah["rsa_status"] == "not_eligible"
    assert sarah["paje_base_status"] == "eligible" and "paje_base" not in sarah["unclaimed"].split(";")
    assert "ppa" in sarah["unclaimed"].split(";") and float(sarah["unclaimed_monthly_total"]) > 300
    assert by_id["SEBASTIEN"]["rsa_status"] == "eligible" and float(by_id["SEBASTIEN"]["rsa_amount"]) > 400
    assert by_id["ROSELINE"]["aspa_status"] == "eligible" and by_id["ROSELINE"]["apa_status"] == "eligible"
    assert by_id["BAD-RENT"]["error"].startswith("rent : ") and by_id["BAD-RENT"]["rsa_status"] == ""
    assert all(by_id[f"BAD-{i}"]["error"] for i in range(5))


@pytest.fixture(scope="module")
def generated_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    generator = Generator(seed=7, month=MONTH)
    rows = list(generator.rows(30, 0.2))
    source = write_csv(folder / "households.csv", rows)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "rights_batch",
        str(source),
        str(folder / "rights.csv"),
        chunk_size=16,
        processes=1,
        no_progress=True,
        stdout=out,
        stderr=err,
    )
    return rows, rows_of(folder / "rights.csv"), out.getvalue()


def test_the_command_end_to_end_on_a_generated_file(generated_run):
    rows, results, summary = generated_run
    assert [r["household_id"] for r in results] == [r["household_id"] for r in rows]
    errors = [r for r in results if r["error"]]
    assert len(errors) == 6  # 20 % of 30 rows were spoiled
    assert all(r["rsa_status"] == "" and r["unclaimed"] == "" for r in errors)
    computed = [r for r in results if not r["error"]]
    assert all(r["rsa_status"] in {"eligible", "not_eligible", "to_check"} for r in computed)
    assert all(r["pch_status"] == "to_check" for r in computed)
    assert any(r["unclaimed"] for r in computed)
    assert "30 foyers lus, 24 calculés, 6 en erreur" in summary.replace("\u202f", "")


def test_the_documentation_lists_every_column():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rights-batch.md").read_text(encoding="utf-8")
    for column in batch.COLUMN_NAMES:
        name = column.removeprefix("applicant_").removeprefix("partner_")
        assert f"`{name}`" in doc, column
    for column in batch.result_columns():
        assert f"`{column}`" in doc or column.endswith(("_status", "_amount")), column
