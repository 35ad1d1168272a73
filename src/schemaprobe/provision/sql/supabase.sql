-- schemaprobe's Supabase compatibility profile for plain PostgreSQL 13-18.
--
-- Installed by schemaprobe.provision.supabase.install_supabase_compat() into a fresh
-- database, before the project's own migrations, so that Supabase schemas load and
-- their RLS policies can be exercised. It reproduces what Supabase migrations rely on,
-- not a Supabase server: no GoTrue, no PostgREST, no storage API.
--
-- Rules this file follows:
-- * Roles are cluster-global: another database of the same server (or a concurrent
--   run) may have created them already. They are created only when missing, inside DO
--   blocks that also swallow the duplicate error of a concurrent CREATE ROLE, and an
--   existing role is never altered (Python checks its attributes afterwards).
-- * No PostgreSQL 16+ syntax (GRANT ... WITH INHERIT/SET): plain GRANT works on 13-18.
-- * Every object is schema-qualified, so the caller's search_path does not matter.
-- * Runs inside the caller's transaction: the whole profile commits or not at all.

-- ---------------------------------------------------------------------------
-- API roles (Supabase initial schema; INHERIT since Supabase's 2023 migration
-- "alter_api_roles_for_inherit"), and the PostgREST login role.
-- ---------------------------------------------------------------------------
DO $roles$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
    BEGIN
      CREATE ROLE anon NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;  -- created concurrently by another session
    END;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
    BEGIN
      CREATE ROLE authenticated NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
    BEGIN
      CREATE ROLE service_role NOLOGIN BYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'authenticator') THEN
    BEGIN
      -- No password: it can only log in where pg_hba.conf trusts it.
      CREATE ROLE authenticator LOGIN NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
END
$roles$;

-- authenticator switches to the API roles (SET ROLE), as PostgREST does.
DO $members$
DECLARE
  api_role text;
BEGIN
  FOREACH api_role IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
    IF NOT EXISTS (
      SELECT
      FROM pg_catalog.pg_auth_members AS m
      JOIN pg_catalog.pg_roles AS granted ON granted.oid = m.roleid
      JOIN pg_catalog.pg_roles AS member ON member.oid = m.member
      WHERE granted.rolname = api_role AND member.rolname = 'authenticator'
    ) THEN
      BEGIN
        EXECUTE pg_catalog.format('GRANT %I TO authenticator', api_role);
      EXCEPTION WHEN unique_violation THEN
        NULL;  -- granted concurrently by another session
      END;
    END IF;
  END LOOP;
END
$members$;

-- ---------------------------------------------------------------------------
-- Schemas. "auth" without IF NOT EXISTS: it is the guard against installing twice
-- (or into a real Supabase database), also when two sessions race.
-- ---------------------------------------------------------------------------
CREATE SCHEMA auth;
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE SCHEMA storage;

GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA extensions TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA storage TO anon, authenticated, service_role;

-- What makes a Supabase table readable by the API roles at all (RLS then filters rows).
-- Default privileges belong to the role that runs this file: tables, sequences and
-- functions that role creates in public afterwards get these grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- uuid_generate_v4(). Migrations call it unqualified (DEFAULT uuid_generate_v4()) and
-- as extensions.uuid_generate_v4() (pg_dump / `supabase db dump` output). Supabase
-- resolves the unqualified call through search_path "$user", public, extensions, a
-- role setting we cannot reproduce per database (ALTER ROLE is cluster-wide, and
-- ALTER DATABASE settings are not copied into template clones). So:
-- * uuid-ossp, when the server has it, goes into public (its functions are extension
--   members, which introspection leaves out), and a later
--   CREATE EXTENSION IF NOT EXISTS "uuid-ossp" [WITH SCHEMA extensions] is a no-op;
-- * otherwise public.uuid_generate_v4() is a plain function over gen_random_uuid()
--   (core since PostgreSQL 13; uuid-ossp's v4 is the same random UUID);
-- * extensions.uuid_generate_v4() is always there, as a function of our own unless
--   uuid-ossp already lives in that schema.
-- ---------------------------------------------------------------------------
DO $uuid$
BEGIN
  IF pg_catalog.to_regprocedure('public.uuid_generate_v4()') IS NULL
     AND EXISTS (SELECT FROM pg_catalog.pg_available_extensions WHERE name = 'uuid-ossp')
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'uuid-ossp')
  THEN
    CREATE EXTENSION "uuid-ossp" WITH SCHEMA public;
  END IF;
  IF pg_catalog.to_regprocedure('public.uuid_generate_v4()') IS NULL THEN
    CREATE FUNCTION public.uuid_generate_v4() RETURNS uuid
      LANGUAGE sql VOLATILE PARALLEL SAFE
      AS 'SELECT pg_catalog.gen_random_uuid()';
    COMMENT ON FUNCTION public.uuid_generate_v4() IS
      'schemaprobe Supabase profile: stand-in for uuid-ossp (not installed on this server)';
  END IF;
  IF pg_catalog.to_regprocedure('extensions.uuid_generate_v4()') IS NULL THEN
    CREATE FUNCTION extensions.uuid_generate_v4() RETURNS uuid
      LANGUAGE sql VOLATILE PARALLEL SAFE
      AS 'SELECT pg_catalog.gen_random_uuid()';
    COMMENT ON FUNCTION extensions.uuid_generate_v4() IS
      'schemaprobe Supabase profile: Supabase keeps uuid-ossp in schema extensions';
  END IF;
END
$uuid$;

-- ---------------------------------------------------------------------------
-- auth.users: Supabase's (GoTrue's) table, column for column and in the same order.
-- One deliberate difference: id defaults to gen_random_uuid() (GoTrue supplies the id
-- itself), so tests can seed users with INSERT INTO auth.users (email) VALUES (...).
-- ---------------------------------------------------------------------------
CREATE TABLE auth.users (
    instance_id uuid,
    id uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
    aud character varying(255),
    role character varying(255),
    email character varying(255),
    encrypted_password character varying(255),
    email_confirmed_at timestamp with time zone,
    invited_at timestamp with time zone,
    confirmation_token character varying(255),
    confirmation_sent_at timestamp with time zone,
    recovery_token character varying(255),
    recovery_sent_at timestamp with time zone,
    email_change_token_new character varying(255),
    email_change character varying(255),
    email_change_sent_at timestamp with time zone,
    last_sign_in_at timestamp with time zone,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    phone text DEFAULT NULL::character varying,
    phone_confirmed_at timestamp with time zone,
    phone_change text DEFAULT ''::character varying,
    phone_change_token character varying(255) DEFAULT ''::character varying,
    phone_change_sent_at timestamp with time zone,
    confirmed_at timestamp with time zone
        GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
    email_change_token_current character varying(255) DEFAULT ''::character varying,
    email_change_confirm_status smallint DEFAULT 0,
    banned_until timestamp with time zone,
    reauthentication_token character varying(255) DEFAULT ''::character varying,
    reauthentication_sent_at timestamp with time zone,
    is_sso_user boolean DEFAULT false NOT NULL,
    deleted_at timestamp with time zone,
    is_anonymous boolean DEFAULT false NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_phone_key UNIQUE (phone),
    CONSTRAINT users_email_change_confirm_status_check
        CHECK (email_change_confirm_status >= 0 AND email_change_confirm_status <= 2)
);

-- Supabase's indexes: the token indexes ignore '' and all-digit (OTP) values.
CREATE UNIQUE INDEX confirmation_token_idx ON auth.users (confirmation_token)
    WHERE confirmation_token::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX email_change_token_current_idx ON auth.users (email_change_token_current)
    WHERE email_change_token_current::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX email_change_token_new_idx ON auth.users (email_change_token_new)
    WHERE email_change_token_new::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX reauthentication_token_idx ON auth.users (reauthentication_token)
    WHERE reauthentication_token::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX recovery_token_idx ON auth.users (recovery_token)
    WHERE recovery_token::text !~ '^[0-9 ]*$';
CREATE UNIQUE INDEX users_email_partial_key ON auth.users (email) WHERE is_sso_user = false;
CREATE INDEX users_instance_id_email_idx ON auth.users (instance_id, pg_catalog.lower(email::text));
CREATE INDEX users_instance_id_idx ON auth.users (instance_id);
CREATE INDEX users_is_anonymous_idx ON auth.users (is_anonymous);

COMMENT ON TABLE auth.users IS 'Auth: Stores user login data within a secure schema.';
COMMENT ON COLUMN auth.users.is_sso_user IS
    'Auth: Set this column to true when the account comes from SSO. These accounts can have duplicate emails.';

-- ---------------------------------------------------------------------------
-- JWT helpers, as GoTrue defines them: the request's claims arrive in the setting
-- request.jwt.claims (PostgREST 9+, a JSON object); the older one-setting-per-claim
-- form (request.jwt.claim.sub, ...) is read first, like Supabase does. nullif(.., '')
-- matters: once a transaction-local set_config() has ended, the setting reads as ''.
-- Plain STABLE SQL with no SET clause, so the planner can inline them into policies.
-- A test acts as a user with:
--   SET LOCAL ROLE authenticated;
--   SELECT set_config('request.jwt.claims', '{"sub": "<uuid>", "role": "authenticated"}', true);
-- ---------------------------------------------------------------------------
CREATE FUNCTION auth.uid() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  SELECT coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
    (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
COMMENT ON FUNCTION auth.uid() IS 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

CREATE FUNCTION auth.role() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  SELECT coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claim.role', true), ''),
    (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
COMMENT ON FUNCTION auth.role() IS 'Deprecated. Use auth.jwt() -> ''role'' instead.';

CREATE FUNCTION auth.email() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  SELECT coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claim.email', true), ''),
    (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;
COMMENT ON FUNCTION auth.email() IS 'Deprecated. Use auth.jwt() -> ''email'' instead.';

CREATE FUNCTION auth.jwt() RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
  SELECT coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
    nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

GRANT EXECUTE ON FUNCTION auth.uid(), auth.role(), auth.email(), auth.jwt()
    TO anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- storage: the two tables Supabase projects write migrations against (bucket rows and
-- policies on storage.objects, e.g. the user-management starter), plus the helpers
-- those policies call. The storage API's other tables and functions are left out.
-- As in Supabase, the API roles have every privilege and RLS decides.
-- ---------------------------------------------------------------------------
CREATE TABLE storage.buckets (
    id text NOT NULL,
    name text NOT NULL,
    owner uuid,
    created_at timestamp with time zone DEFAULT pg_catalog.now(),
    updated_at timestamp with time zone DEFAULT pg_catalog.now(),
    public boolean DEFAULT false,
    avif_autodetection boolean DEFAULT false,
    file_size_limit bigint,
    allowed_mime_types text[],
    owner_id text,
    CONSTRAINT buckets_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX bname ON storage.buckets (name);
COMMENT ON COLUMN storage.buckets.owner IS 'Field is deprecated, use owner_id instead';

CREATE TABLE storage.objects (
    id uuid NOT NULL DEFAULT pg_catalog.gen_random_uuid(),
    bucket_id text,
    name text,
    owner uuid,
    created_at timestamp with time zone DEFAULT pg_catalog.now(),
    updated_at timestamp with time zone DEFAULT pg_catalog.now(),
    last_accessed_at timestamp with time zone DEFAULT pg_catalog.now(),
    metadata jsonb,
    path_tokens text[] GENERATED ALWAYS AS (pg_catalog.string_to_array(name, '/')) STORED,
    version text,
    owner_id text,
    user_metadata jsonb,
    CONSTRAINT objects_pkey PRIMARY KEY (id),
    CONSTRAINT "objects_bucketId_fkey" FOREIGN KEY (bucket_id) REFERENCES storage.buckets (id)
);
CREATE UNIQUE INDEX bucketid_objname ON storage.objects (bucket_id, name);
CREATE INDEX name_prefix_search ON storage.objects (name text_pattern_ops);
COMMENT ON COLUMN storage.objects.owner IS 'Field is deprecated, use owner_id instead';

ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role;

-- 'a/b/c.png' -> {a,b}, 'c.png', 'png' (policies: (storage.foldername(name))[1] = auth.uid()::text)
CREATE FUNCTION storage.foldername(name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT parts[1:pg_catalog.array_length(parts, 1) - 1]
  FROM (SELECT pg_catalog.string_to_array(name, '/') AS parts) AS split
$$;

CREATE FUNCTION storage.filename(name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT parts[pg_catalog.array_length(parts, 1)]
  FROM (SELECT pg_catalog.string_to_array(name, '/') AS parts) AS split
$$;

CREATE FUNCTION storage.extension(name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT pg_catalog.reverse(pg_catalog.split_part(pg_catalog.reverse(storage.filename(name)), '.', 1))
$$;

GRANT EXECUTE ON FUNCTION storage.foldername(text), storage.filename(text), storage.extension(text)
    TO anon, authenticated, service_role;
