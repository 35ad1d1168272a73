-- schemaprobe's SQL-only stand-in for uuid-ossp 1.1: same function names and
-- signatures. v4 and v3 are exact; v1/v1mc return random UUIDs with version 1 bits
-- (not time-based); v5 needs SHA-1, which core PostgreSQL lacks, and raises.
\echo Use "CREATE EXTENSION ""uuid-ossp""" to load this file. \quit

CREATE FUNCTION uuid_nil() RETURNS uuid IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT '00000000-0000-0000-0000-000000000000'::uuid $$;
CREATE FUNCTION uuid_ns_dns() RETURNS uuid IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::uuid $$;
CREATE FUNCTION uuid_ns_url() RETURNS uuid IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT '6ba7b811-9dad-11d1-80b4-00c04fd430c8'::uuid $$;
CREATE FUNCTION uuid_ns_oid() RETURNS uuid IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT '6ba7b812-9dad-11d1-80b4-00c04fd430c8'::uuid $$;
CREATE FUNCTION uuid_ns_x500() RETURNS uuid IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT '6ba7b814-9dad-11d1-80b4-00c04fd430c8'::uuid $$;

CREATE FUNCTION uuid_generate_v4() RETURNS uuid VOLATILE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT gen_random_uuid() $$;

CREATE FUNCTION uuid_generate_v1() RETURNS uuid VOLATILE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT overlay(overlay(gen_random_uuid()::text placing '1' from 15) placing '8' from 20)::uuid $$;
CREATE FUNCTION uuid_generate_v1mc() RETURNS uuid VOLATILE STRICT PARALLEL SAFE LANGUAGE sql
AS $$ SELECT uuid_generate_v1() $$;

CREATE FUNCTION uuid_generate_v3(namespace uuid, name text) RETURNS uuid
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
    SELECT overlay(overlay(h placing '3' from 13)
                   placing substr('89ab', (('x' || substr(h, 17, 1))::bit(4)::int & 3) + 1, 1) from 17)::uuid
    FROM (SELECT md5(uuid_send(namespace) || convert_to(name, 'UTF8')) AS h) AS digest
$$;

CREATE FUNCTION uuid_generate_v5(namespace uuid, name text) RETURNS uuid
IMMUTABLE STRICT PARALLEL SAFE LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'uuid_generate_v5 is not available in schemaprobe''s uuid-ossp stand-in (core PostgreSQL has no SHA-1)'
        USING HINT = 'run against a server with the real uuid-ossp (--schemaprobe-pg-bin or a DSN)';
END
$$;
