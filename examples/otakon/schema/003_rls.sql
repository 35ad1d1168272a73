-- "Row Level Security (RLS) enabled on ALL tables"; "Single policy per operation
-- (SELECT, INSERT, UPDATE, DELETE)": exactly four policies on every table, one per
-- command, none FOR ALL, so no two permissive policies ever overlap.
--   own data    ("users can only see their own data"): auth.uid() = user_id
--   shared      ("Public access - controlled access to shared content"): anyone reads,
--               admins write
--   intake      (contact_submissions, waitlist): anyone submits, admins read and manage
--   admin-only  ("Admin-only access to sensitive data (API costs)"): api_cost_tracking
-- Admin = the caller's user_profiles row has is_admin. auth.uid() is wrapped in
-- (SELECT ...) so it is evaluated once per statement, not per row (Supabase's
-- auth_rls_initplan warning: "Eliminates all warnings and performance issues").

-- user_profiles (own)
ALTER TABLE public.user_profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_profiles_select_own ON public.user_profiles FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY user_profiles_insert_own ON public.user_profiles FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id AND NOT is_admin);
CREATE POLICY user_profiles_update_own ON public.user_profiles FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY user_profiles_delete_own ON public.user_profiles FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- player_profiles (own)
ALTER TABLE public.player_profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY player_profiles_select_own ON public.player_profiles FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY player_profiles_insert_own ON public.player_profiles FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY player_profiles_update_own ON public.player_profiles FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY player_profiles_delete_own ON public.player_profiles FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- user_preferences (own)
ALTER TABLE public.user_preferences ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_preferences_select_own ON public.user_preferences FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY user_preferences_insert_own ON public.user_preferences FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY user_preferences_update_own ON public.user_preferences FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY user_preferences_delete_own ON public.user_preferences FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- games (shared)
ALTER TABLE public.games ENABLE ROW LEVEL SECURITY;
CREATE POLICY games_select_all ON public.games FOR SELECT TO anon, authenticated
    USING (true);
CREATE POLICY games_insert_admin ON public.games FOR INSERT TO authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY games_update_admin ON public.games FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY games_delete_admin ON public.games FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- conversations (own)
ALTER TABLE public.conversations ENABLE ROW LEVEL SECURITY;
CREATE POLICY conversations_select_own ON public.conversations FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY conversations_insert_own ON public.conversations FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY conversations_update_own ON public.conversations FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY conversations_delete_own ON public.conversations FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- usage (own)
ALTER TABLE public.usage ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_select_own ON public.usage FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY usage_insert_own ON public.usage FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY usage_update_own ON public.usage FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY usage_delete_own ON public.usage FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- ai_context (own)
ALTER TABLE public.ai_context ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_context_select_own ON public.ai_context FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY ai_context_insert_own ON public.ai_context FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY ai_context_update_own ON public.ai_context FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY ai_context_delete_own ON public.ai_context FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- ai_feedback (own)
ALTER TABLE public.ai_feedback ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_feedback_select_own ON public.ai_feedback FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY ai_feedback_insert_own ON public.ai_feedback FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY ai_feedback_update_own ON public.ai_feedback FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY ai_feedback_delete_own ON public.ai_feedback FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- ai_learning (shared)
ALTER TABLE public.ai_learning ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_learning_select_all ON public.ai_learning FOR SELECT TO anon, authenticated
    USING (true);
CREATE POLICY ai_learning_insert_admin ON public.ai_learning FOR INSERT TO authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY ai_learning_update_admin ON public.ai_learning FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY ai_learning_delete_admin ON public.ai_learning FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- user_behavior (own)
ALTER TABLE public.user_behavior ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_behavior_select_own ON public.user_behavior FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY user_behavior_insert_own ON public.user_behavior FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY user_behavior_update_own ON public.user_behavior FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY user_behavior_delete_own ON public.user_behavior FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- content_generation_triggers (shared)
ALTER TABLE public.content_generation_triggers ENABLE ROW LEVEL SECURITY;
CREATE POLICY content_generation_triggers_select_all ON public.content_generation_triggers FOR SELECT TO anon, authenticated
    USING (true);
CREATE POLICY content_generation_triggers_insert_admin ON public.content_generation_triggers FOR INSERT TO authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY content_generation_triggers_update_admin ON public.content_generation_triggers FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY content_generation_triggers_delete_admin ON public.content_generation_triggers FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- global_content_cache (shared)
ALTER TABLE public.global_content_cache ENABLE ROW LEVEL SECURITY;
CREATE POLICY global_content_cache_select_all ON public.global_content_cache FOR SELECT TO anon, authenticated
    USING (true);
CREATE POLICY global_content_cache_insert_admin ON public.global_content_cache FOR INSERT TO authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY global_content_cache_update_admin ON public.global_content_cache FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY global_content_cache_delete_admin ON public.global_content_cache FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- insight_tabs (own)
ALTER TABLE public.insight_tabs ENABLE ROW LEVEL SECURITY;
CREATE POLICY insight_tabs_select_own ON public.insight_tabs FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY insight_tabs_insert_own ON public.insight_tabs FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY insight_tabs_update_own ON public.insight_tabs FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY insight_tabs_delete_own ON public.insight_tabs FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- contact_submissions (intake)
ALTER TABLE public.contact_submissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_submissions_select_admin ON public.contact_submissions FOR SELECT TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY contact_submissions_insert_anyone ON public.contact_submissions FOR INSERT TO anon, authenticated
    WITH CHECK (user_id IS NULL OR user_id = (SELECT auth.uid()));
CREATE POLICY contact_submissions_update_admin ON public.contact_submissions FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY contact_submissions_delete_admin ON public.contact_submissions FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- waitlist (intake)
ALTER TABLE public.waitlist ENABLE ROW LEVEL SECURITY;
CREATE POLICY waitlist_select_admin ON public.waitlist FOR SELECT TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY waitlist_insert_anyone ON public.waitlist FOR INSERT TO anon, authenticated
    WITH CHECK (true);
CREATE POLICY waitlist_update_admin ON public.waitlist FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY waitlist_delete_admin ON public.waitlist FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- game_knowledge (shared)
ALTER TABLE public.game_knowledge ENABLE ROW LEVEL SECURITY;
CREATE POLICY game_knowledge_select_all ON public.game_knowledge FOR SELECT TO anon, authenticated
    USING (true);
CREATE POLICY game_knowledge_insert_admin ON public.game_knowledge FOR INSERT TO authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY game_knowledge_update_admin ON public.game_knowledge FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY game_knowledge_delete_admin ON public.game_knowledge FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- game_objectives (own)
ALTER TABLE public.game_objectives ENABLE ROW LEVEL SECURITY;
CREATE POLICY game_objectives_select_own ON public.game_objectives FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY game_objectives_insert_own ON public.game_objectives FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY game_objectives_update_own ON public.game_objectives FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY game_objectives_delete_own ON public.game_objectives FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- player_progress (own)
ALTER TABLE public.player_progress ENABLE ROW LEVEL SECURITY;
CREATE POLICY player_progress_select_own ON public.player_progress FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY player_progress_insert_own ON public.player_progress FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY player_progress_update_own ON public.player_progress FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY player_progress_delete_own ON public.player_progress FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- game_contexts (own)
ALTER TABLE public.game_contexts ENABLE ROW LEVEL SECURITY;
CREATE POLICY game_contexts_select_own ON public.game_contexts FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY game_contexts_insert_own ON public.game_contexts FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY game_contexts_update_own ON public.game_contexts FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY game_contexts_delete_own ON public.game_contexts FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- build_snapshots (own)
ALTER TABLE public.build_snapshots ENABLE ROW LEVEL SECURITY;
CREATE POLICY build_snapshots_select_own ON public.build_snapshots FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY build_snapshots_insert_own ON public.build_snapshots FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY build_snapshots_update_own ON public.build_snapshots FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY build_snapshots_delete_own ON public.build_snapshots FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- session_summaries (own)
ALTER TABLE public.session_summaries ENABLE ROW LEVEL SECURITY;
CREATE POLICY session_summaries_select_own ON public.session_summaries FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY session_summaries_insert_own ON public.session_summaries FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY session_summaries_update_own ON public.session_summaries FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY session_summaries_delete_own ON public.session_summaries FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- conversation_contexts (own)
ALTER TABLE public.conversation_contexts ENABLE ROW LEVEL SECURITY;
CREATE POLICY conversation_contexts_select_own ON public.conversation_contexts FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY conversation_contexts_insert_own ON public.conversation_contexts FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY conversation_contexts_update_own ON public.conversation_contexts FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY conversation_contexts_delete_own ON public.conversation_contexts FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- enhanced_insights (own)
ALTER TABLE public.enhanced_insights ENABLE ROW LEVEL SECURITY;
CREATE POLICY enhanced_insights_select_own ON public.enhanced_insights FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY enhanced_insights_insert_own ON public.enhanced_insights FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY enhanced_insights_update_own ON public.enhanced_insights FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY enhanced_insights_delete_own ON public.enhanced_insights FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- proactive_triggers (own)
ALTER TABLE public.proactive_triggers ENABLE ROW LEVEL SECURITY;
CREATE POLICY proactive_triggers_select_own ON public.proactive_triggers FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY proactive_triggers_insert_own ON public.proactive_triggers FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY proactive_triggers_update_own ON public.proactive_triggers FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY proactive_triggers_delete_own ON public.proactive_triggers FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- proactive_insights (own)
ALTER TABLE public.proactive_insights ENABLE ROW LEVEL SECURITY;
CREATE POLICY proactive_insights_select_own ON public.proactive_insights FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) = user_id);
CREATE POLICY proactive_insights_insert_own ON public.proactive_insights FOR INSERT TO authenticated
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY proactive_insights_update_own ON public.proactive_insights FOR UPDATE TO authenticated
    USING ((SELECT auth.uid()) = user_id)
    WITH CHECK ((SELECT auth.uid()) = user_id);
CREATE POLICY proactive_insights_delete_own ON public.proactive_insights FOR DELETE TO authenticated
    USING ((SELECT auth.uid()) = user_id);

-- api_cost_tracking (admin)
ALTER TABLE public.api_cost_tracking ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_cost_tracking_select_admin ON public.api_cost_tracking FOR SELECT TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY api_cost_tracking_insert_admin ON public.api_cost_tracking FOR INSERT TO authenticated
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY api_cost_tracking_update_admin ON public.api_cost_tracking FOR UPDATE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin))
    WITH CHECK (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));
CREATE POLICY api_cost_tracking_delete_admin ON public.api_cost_tracking FOR DELETE TO authenticated
    USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.user_id = (SELECT auth.uid()) AND p.is_admin));

-- Users may edit their own profile, but not their admin flag: the API roles get UPDATE
-- on the other columns only (admins are promoted with the service role).
REVOKE UPDATE ON public.user_profiles FROM anon, authenticated;
GRANT UPDATE (username, display_name, avatar_url) ON public.user_profiles TO authenticated;
