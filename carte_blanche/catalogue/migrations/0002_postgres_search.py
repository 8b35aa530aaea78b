"""PostgreSQL full-text and trigram search for the catalogue; nothing on other databases.

Creates the `unaccent` and `pg_trgm` extensions (the migrating role needs the right to),
a `french_unaccent` text search configuration (accents folded, then Snowball French
stems), and two GIN indexes on the folded search document.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    "CREATE INDEX IF NOT EXISTS catalogue_procedure_fts ON catalogue_procedure "
    "USING gin (to_tsvector('french_unaccent'::regconfig, COALESCE(search_document, '')))",
    "CREATE INDEX IF NOT EXISTS catalogue_procedure_trgm ON catalogue_procedure "
    "USING gin (search_document gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_procedure_trgm",
    "DROP INDEX IF EXISTS catalogue_procedure_fts",
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
