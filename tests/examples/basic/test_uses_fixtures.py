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
