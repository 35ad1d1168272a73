-- Mistake: a performance "fix" adds an index that repeats idx_enhanced_insights_user_id
-- under another name ("No unused indexes", "All indexes are strategic").
CREATE INDEX enhanced_insights_user_id_idx ON public.enhanced_insights (user_id);
