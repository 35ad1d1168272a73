-- Mistake: RLS is switched off on payments (e.g. while debugging a dashboard query,
-- and never switched back on): with Supabase's default grants, anon and authenticated
-- can then read every payment record through the API.
ALTER TABLE payments DISABLE ROW LEVEL SECURITY;
