-- Mistake: row level security is switched off on api_configurations (say, to debug a
-- failing insert) and never switched back on: every user's encrypted API keys are
-- readable through the API, the policies still exist but no longer apply.
ALTER TABLE public.api_configurations DISABLE ROW LEVEL SECURITY;
