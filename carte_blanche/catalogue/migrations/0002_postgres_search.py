"""PostgreSQL full-text and trigram search for the catalogue; nothing on other databases.

Creates the `unaccent` and `pg_trgm` extensions (the migrating role needs the right to),
a `french_unaccent` text search configuration (accents folded, then Snowball French
stems), a stored `search_vector` column computed by PostgreSQL from the folded search
document, and GIN indexes for full-text and trigram matching.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # pg_trgm declares word similarity as cheap as an equality test, so the planner scans
    # the whole table instead of using the trigram index; at its real cost it uses the
    # index (10,000 entries: p50 300 ms -> under 40 ms, docs/benchmarks.md).
    "ALTER FUNCTION word_similarity(text, text) COST 200",
    "ALTER FUNCTION word_similarity_op(text, text) COST 200",
    "ALTER FUNCTION word_similarity_commutator_op(text, text) COST 200",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    "ALTER TABLE catalogue_procedure ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('french_unaccent'::regconfig, COALESCE(search_document, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS catalogue_procedure_fts ON catalogue_procedure USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalogue_procedure_trgm ON catalogue_procedure "
    "USING gin (search_document gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_procedure_trgm",
    "DROP INDEX IF EXISTS catalogue_procedure_fts",
    "ALTER TABLE catalogue_procedure DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
