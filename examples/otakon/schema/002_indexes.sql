-- "Strategic indexing": user-focused, game-related and V19 indexes, one per query
-- pattern and one covering every foreign key column (Supabase's linter warns about
-- unindexed foreign keys). "No unused indexes": nothing else, and no index repeating a
-- UNIQUE constraint's (user_id UNIQUE tables get no separate user_id index).
CREATE INDEX idx_games_genre ON public.games (genre);
CREATE INDEX idx_conversations_user_updated ON public.conversations (user_id, updated_at DESC);
CREATE INDEX idx_conversations_game_id ON public.conversations (game_id);
CREATE INDEX idx_ai_context_user_id ON public.ai_context (user_id);
CREATE INDEX idx_ai_context_conversation_id ON public.ai_context (conversation_id);
CREATE INDEX idx_ai_feedback_user_id ON public.ai_feedback (user_id);
CREATE INDEX idx_ai_feedback_conversation_id ON public.ai_feedback (conversation_id);
CREATE INDEX idx_ai_learning_type ON public.ai_learning (learning_type);
CREATE INDEX idx_user_behavior_user_created ON public.user_behavior (user_id, created_at DESC);
CREATE INDEX idx_content_generation_triggers_active ON public.content_generation_triggers (trigger_type) WHERE is_active;
CREATE INDEX idx_global_content_cache_expires_at ON public.global_content_cache (expires_at);
CREATE INDEX idx_insight_tabs_user_id ON public.insight_tabs (user_id);
CREATE INDEX idx_insight_tabs_conversation_id ON public.insight_tabs (conversation_id);
CREATE INDEX idx_contact_submissions_user_id ON public.contact_submissions (user_id);
CREATE INDEX idx_contact_submissions_status ON public.contact_submissions (status);
CREATE INDEX idx_game_knowledge_game_type ON public.game_knowledge (game_id, knowledge_type);
CREATE INDEX idx_game_objectives_user_game ON public.game_objectives (user_id, game_id);
CREATE INDEX idx_game_objectives_game_id ON public.game_objectives (game_id);
CREATE INDEX idx_player_progress_user_game ON public.player_progress (user_id, game_id);
CREATE INDEX idx_player_progress_game_id ON public.player_progress (game_id);
CREATE INDEX idx_game_contexts_user_game ON public.game_contexts (user_id, game_id);
CREATE INDEX idx_game_contexts_game_id ON public.game_contexts (game_id);
CREATE INDEX idx_build_snapshots_user_id ON public.build_snapshots (user_id);
CREATE INDEX idx_build_snapshots_game_context_id ON public.build_snapshots (game_context_id, created_at DESC);
CREATE INDEX idx_session_summaries_user_id ON public.session_summaries (user_id);
CREATE INDEX idx_session_summaries_game_context_id ON public.session_summaries (game_context_id);
CREATE INDEX idx_conversation_contexts_user_id ON public.conversation_contexts (user_id);
CREATE INDEX idx_enhanced_insights_user_id ON public.enhanced_insights (user_id);
CREATE INDEX idx_enhanced_insights_conversation_priority ON public.enhanced_insights (conversation_id, priority);
CREATE INDEX idx_proactive_triggers_user_id ON public.proactive_triggers (user_id);
CREATE INDEX idx_proactive_insights_user_created ON public.proactive_insights (user_id, created_at DESC);
CREATE INDEX idx_proactive_insights_trigger_id ON public.proactive_insights (trigger_id);
CREATE INDEX idx_api_cost_tracking_created_at ON public.api_cost_tracking (created_at DESC);
CREATE INDEX idx_api_cost_tracking_user_id ON public.api_cost_tracking (user_id);
