-- "Maintenance / Automatic Features": updated timestamps via triggers, data cleanup
-- functions for old records, insight summaries for user analytics. Every function pins
-- an empty search_path (Supabase's function_search_path_mutable warning) and names
-- every object with its schema.

CREATE FUNCTION public.update_updated_at_column() RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- "Data cleanup functions for old records": expired cache entries, old behaviour events
-- and old API cost rows; returns how many rows were deleted. Run by the service role.
CREATE FUNCTION public.cleanup_old_records(retention_days integer DEFAULT 90) RETURNS integer
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
    removed integer := 0;
    n integer;
BEGIN
    DELETE FROM public.global_content_cache WHERE expires_at < now();
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed + n;
    DELETE FROM public.user_behavior WHERE created_at < now() - make_interval(days => retention_days);
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed + n;
    DELETE FROM public.api_cost_tracking WHERE created_at < now() - make_interval(days => retention_days * 4);
    GET DIAGNOSTICS n = ROW_COUNT; removed := removed + n;
    RETURN removed;
END;
$$;

-- "Insight summaries for user analytics": the caller's insight counts (runs with the
-- caller's rights, so RLS limits it to the caller's own rows).
CREATE FUNCTION public.get_user_insight_summary() RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
    SELECT jsonb_build_object(
        'enhanced_insights', (SELECT count(*) FROM public.enhanced_insights),
        'proactive_insights', (SELECT count(*) FROM public.proactive_insights),
        'unread_proactive_insights',
            (SELECT count(*) FROM public.proactive_insights WHERE NOT is_read)
    );
$$;

-- "Updated timestamps via triggers": every table with updated_at.
CREATE TRIGGER update_user_profiles_updated_at BEFORE UPDATE ON public.user_profiles
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_player_profiles_updated_at BEFORE UPDATE ON public.player_profiles
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_user_preferences_updated_at BEFORE UPDATE ON public.user_preferences
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_games_updated_at BEFORE UPDATE ON public.games
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_conversations_updated_at BEFORE UPDATE ON public.conversations
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_usage_updated_at BEFORE UPDATE ON public.usage
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_ai_context_updated_at BEFORE UPDATE ON public.ai_context
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_ai_learning_updated_at BEFORE UPDATE ON public.ai_learning
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_content_generation_triggers_updated_at BEFORE UPDATE ON public.content_generation_triggers
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_global_content_cache_updated_at BEFORE UPDATE ON public.global_content_cache
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_insight_tabs_updated_at BEFORE UPDATE ON public.insight_tabs
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_contact_submissions_updated_at BEFORE UPDATE ON public.contact_submissions
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_waitlist_updated_at BEFORE UPDATE ON public.waitlist
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_game_knowledge_updated_at BEFORE UPDATE ON public.game_knowledge
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_game_objectives_updated_at BEFORE UPDATE ON public.game_objectives
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_player_progress_updated_at BEFORE UPDATE ON public.player_progress
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_game_contexts_updated_at BEFORE UPDATE ON public.game_contexts
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_conversation_contexts_updated_at BEFORE UPDATE ON public.conversation_contexts
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_enhanced_insights_updated_at BEFORE UPDATE ON public.enhanced_insights
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_proactive_triggers_updated_at BEFORE UPDATE ON public.proactive_triggers
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
CREATE TRIGGER update_proactive_insights_updated_at BEFORE UPDATE ON public.proactive_insights
    FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
