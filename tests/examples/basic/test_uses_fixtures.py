import psycopg

TABLES = (
    "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
)


def test_database_under_test_has_the_schema(schemaprobe_dsn):
    with psycopg.connect(schemaprobe_dsn) as conn:
        names = {row[0] for row in conn.execute(TABLES)}
    assert names == {"heroes", 'Story "Arcs" Ü'}


def test_clone_is_writable_and_private(schemaprobe_clone, schemaprobe_dsn):
    with psycopg.connect(schemaprobe_clone) as conn:
        conn.execute("INSERT INTO heroes (name) VALUES ('Ada')")
    with psycopg.connect(schemaprobe_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM heroes").fetchone() == (0,)


def test_catalog_is_read_once_per_session(schemaprobe_catalog):
    tables = {str(name): table for name, table in schemaprobe_catalog.tables.items()}
    assert set(tables) == {"public.heroes", 'public."Story ""Arcs"" Ü"'}
    assert not any(table.rls_enabled for table in tables.values())
