-- Mistake: an old migration's policy is re-applied next to the V19 one, so
-- conversations has two permissive SELECT policies ("Single policy per operation",
-- "Each table has exactly one policy per operation").
CREATE POLICY "Users can view own conversations" ON public.conversations
    FOR SELECT TO authenticated USING (auth.uid() = user_id);
