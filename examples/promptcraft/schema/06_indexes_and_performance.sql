-- PromptCraft Forge, 06_indexes_and_performance.sql. The document does not give this
-- file; these indexes are this example's design, following "Indexing Strategy":
--   "User ID Indexes: Create indexes on user_id for all user-related tables"
--     (user_profiles and user_preferences: their UNIQUE(user_id) constraint is that index)
--   "Timestamp Indexes: Index created_at for time-based queries"
--     (the three time-series tables: usage logs, prompt history, feedback)
--   "Composite Indexes: Create composite indexes for common query patterns"
--     (the one query the document shows, "Query Optimization": prompt_history by
--     user_id ordered by created_at DESC)
--   "Foreign Key Indexes: Index foreign key columns"
--     (feedback.admin_user_id, feedback_categories.parent_id)
-- Names follow the pattern idx_<table>_<columns>.

CREATE INDEX IF NOT EXISTS idx_api_configurations_user_id ON public.api_configurations(user_id);

CREATE INDEX IF NOT EXISTS idx_api_usage_logs_user_id ON public.api_usage_logs(user_id);
CREATE INDEX IF NOT EXISTS idx_api_usage_logs_created_at ON public.api_usage_logs(created_at);

CREATE INDEX IF NOT EXISTS idx_prompt_history_user_id ON public.prompt_history(user_id);
CREATE INDEX IF NOT EXISTS idx_prompt_history_created_at ON public.prompt_history(created_at);
CREATE INDEX IF NOT EXISTS idx_prompt_history_user_created ON public.prompt_history(user_id, created_at DESC);

CREATE INDEX IF NOT EXISTS idx_prompt_templates_user_id ON public.prompt_templates(user_id);

CREATE INDEX IF NOT EXISTS idx_feedback_user_id ON public.feedback(user_id);
CREATE INDEX IF NOT EXISTS idx_feedback_created_at ON public.feedback(created_at);
CREATE INDEX IF NOT EXISTS idx_feedback_admin_user_id ON public.feedback(admin_user_id);

CREATE INDEX IF NOT EXISTS idx_feedback_categories_parent_id ON public.feedback_categories(parent_id);
