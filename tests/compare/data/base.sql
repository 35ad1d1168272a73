-- The drift corpus's base schema: a small Supabase-shaped service touching every object
-- kind the spec format describes. Loaded with the supabase profile (auth.uid(), roles).
CREATE EXTENSION IF NOT EXISTS citext;

CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoices; not exposed to the API';

CREATE FUNCTION public.update_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;

CREATE FUNCTION public.is_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
    AS $$ SELECT coalesce((auth.jwt() ->> 'role') = 'admin', false) $$;
REVOKE ALL ON FUNCTION public.is_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.is_admin() TO authenticated;

CREATE TABLE public.heroes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    name varchar(100) NOT NULL,
    power_level integer NOT NULL DEFAULT 1 CHECK (power_level BETWEEN 1 AND 10),
    is_public boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT heroes_user_name_key UNIQUE (user_id, name)
);
COMMENT ON TABLE public.heroes IS 'Characters users create';
CREATE INDEX heroes_user_created_idx ON public.heroes (user_id, created_at DESC);
CREATE INDEX heroes_public_idx ON public.heroes (created_at) WHERE is_public;
CREATE TRIGGER heroes_updated_at BEFORE UPDATE ON public.heroes
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at();
ALTER TABLE public.heroes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own heroes" ON public.heroes FOR SELECT TO authenticated
    USING (auth.uid() = user_id OR is_public);
CREATE POLICY "Users can insert own heroes" ON public.heroes FOR INSERT TO authenticated
    WITH CHECK (auth.uid() = user_id);
CREATE POLICY "Users can update own heroes" ON public.heroes FOR UPDATE TO authenticated
    USING (auth.uid() = user_id) WITH CHECK (auth.uid() = user_id);
REVOKE ALL ON public.heroes FROM anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.heroes TO authenticated;

CREATE TABLE public.stories (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hero_id uuid NOT NULL REFERENCES public.heroes (id) ON DELETE SET NULL,
    title text NOT NULL CHECK (char_length(title) <= 200),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    retry_count smallint NOT NULL DEFAULT 0,
    tag_count integer GENERATED ALWAYS AS (cardinality(tags)) STORED,
    tags text[] NOT NULL DEFAULT '{}',
    body jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stories_retry_count_check CHECK (retry_count >= 0 AND retry_count <= 5)
);
CREATE INDEX stories_tags_idx ON public.stories USING gin (tags);
CREATE INDEX stories_title_lower_idx ON public.stories (lower(title));
CREATE INDEX stories_hero_idx ON public.stories (hero_id) INCLUDE (title);
ALTER TABLE public.stories ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.stories FORCE ROW LEVEL SECURITY;
CREATE POLICY "Stories follow their hero" ON public.stories FOR ALL TO authenticated
    USING (EXISTS (SELECT 1 FROM public.heroes h WHERE h.id = stories.hero_id
                   AND h.user_id = auth.uid()));
CREATE POLICY "Admins only delete" ON public.stories AS RESTRICTIVE FOR DELETE
    TO authenticated USING (public.is_admin());

CREATE TABLE billing.invoices (
    id serial PRIMARY KEY,
    amount numeric(12,2) NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL DEFAULT 'EUR',
    period tstzrange NOT NULL,
    CONSTRAINT invoices_no_overlap EXCLUDE USING gist (period WITH &&)
);

CREATE VIEW public.public_heroes WITH (security_invoker = true) AS
    SELECT id, name, power_level FROM public.heroes WHERE is_public;
REVOKE ALL ON public.public_heroes FROM anon, authenticated;
GRANT SELECT ON public.public_heroes TO anon, authenticated;
