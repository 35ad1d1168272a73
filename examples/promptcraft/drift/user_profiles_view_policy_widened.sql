-- Mistake: the SELECT policy of user_profiles is widened to USING (true) ("profiles
-- should be public"), so every user can read every profile, preferences included.
ALTER POLICY "Users can view own data" ON public.user_profiles USING (true);
