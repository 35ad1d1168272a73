-- A small schema with awkward names, loaded by the plugin tests.
CREATE TABLE heroes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(name) > 0)
);
CREATE TABLE "Story ""Arcs"" Ü" (
    id int PRIMARY KEY,
    hero_id bigint REFERENCES heroes (id) ON DELETE CASCADE
);
ALTER TABLE heroes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Heroes are public" ON heroes FOR SELECT USING (true);
CREATE INDEX heroes_name_idx ON heroes (lower(name));
