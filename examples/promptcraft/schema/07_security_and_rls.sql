-- PromptCraft Forge, 07_security_and_rls.sql. The document gives the pattern, not the
-- file: "Enable RLS: All tables must have RLS enabled", "User Isolation: Users can only
-- access their own data", "CRUD Policies: Separate policies for SELECT, INSERT, UPDATE,
-- DELETE", and the "RLS Pattern" with its four policy names and expressions.
--
-- User-owned tables get the RLS Pattern's four policies verbatim. Exception (design,
-- see the README): prompt_templates has "public/private templates", so its SELECT policy
-- also shows public templates.
--
-- The five shared tables (api_providers, prompt_frameworks, feedback_categories,
-- feedback_tags, feedback_analytics) have no user_id, so "own data" cannot apply. Their
-- four separate policies are this example's design: signed-in users read, only the
-- service role writes.

-- ------------------------------------------------------------ user-owned tables
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['user_profiles', 'user_preferences', 'api_configurations',
                             'api_usage_logs', 'prompt_history', 'prompt_templates', 'feedback']
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        IF t = 'prompt_templates' THEN
            EXECUTE format('CREATE POLICY "Users can view own data" ON public.%I
                FOR SELECT USING (auth.uid() = user_id OR is_public = true)', t);
        ELSE
            EXECUTE format('CREATE POLICY "Users can view own data" ON public.%I
                FOR SELECT USING (auth.uid() = user_id)', t);
        END IF;
        EXECUTE format('CREATE POLICY "Users can insert own data" ON public.%I
            FOR INSERT WITH CHECK (auth.uid() = user_id)', t);
        EXECUTE format('CREATE POLICY "Users can update own data" ON public.%I
            FOR UPDATE USING (auth.uid() = user_id)', t);
        EXECUTE format('CREATE POLICY "Users can delete own data" ON public.%I
            FOR DELETE USING (auth.uid() = user_id)', t);
    END LOOP;
END;
$$;

-- ------------------------------------------------------------ shared tables
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['api_providers', 'prompt_frameworks', 'feedback_categories',
                             'feedback_tags', 'feedback_analytics']
    LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY "Signed-in users can view shared data" ON public.%I
            FOR SELECT TO authenticated USING (true)', t);
        EXECUTE format('CREATE POLICY "Service role can insert shared data" ON public.%I
            FOR INSERT TO service_role WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY "Service role can update shared data" ON public.%I
            FOR UPDATE TO service_role USING (true)', t);
        EXECUTE format('CREATE POLICY "Service role can delete shared data" ON public.%I
            FOR DELETE TO service_role USING (true)', t);
    END LOOP;
END;
$$;

-- ------------------------------------------------------------ maintenance functions
-- Design: the maintenance and audit functions of "Maintenance & Monitoring" are for
-- operators, not for the API roles PostgREST exposes them to.
REVOKE EXECUTE ON FUNCTION public.daily_maintenance(), public.analyze_all_tables(),
    public.vacuum_all_tables(), public.get_database_stats(), public.health_check(),
    public.integrity_check(), public.security_audit()
    FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.daily_maintenance(), public.analyze_all_tables(),
    public.vacuum_all_tables(), public.get_database_stats(), public.health_check(),
    public.integrity_check(), public.security_audit()
    TO service_role;
