-- Mistake: RLS is switched off on session_summaries to make a backfill script work and
-- never switched back on ("Row Level Security (RLS) enabled on ALL tables").
ALTER TABLE public.session_summaries DISABLE ROW LEVEL SECURITY;
