-- The jobs service, as deployed: conforms to specs/app.yaml. The plugin tests plant
-- changes into a copy (boundary moved, IN-list member added, NOT NULL dropped).
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'done')),
    retry_count integer NOT NULL DEFAULT 0 CHECK (retry_count BETWEEN 0 AND 5),
    title text NOT NULL,
    window_start timestamptz,
    window_end timestamptz,
    CONSTRAINT window_order CHECK (window_end > window_start)
);
