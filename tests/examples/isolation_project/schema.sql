-- A Supabase-style table: each user's notes, public ones readable by every signed-in user.
CREATE TABLE public.notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
  body text NOT NULL DEFAULT '',
  is_public boolean NOT NULL DEFAULT false
);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.notes TO anon, authenticated;
CREATE POLICY "Users can view own or public notes" ON public.notes FOR SELECT
  TO authenticated USING ((select auth.uid()) = user_id OR is_public);
CREATE POLICY "Users can insert own notes" ON public.notes FOR INSERT
  TO authenticated WITH CHECK ((select auth.uid()) = user_id);
CREATE POLICY "Users can update own notes" ON public.notes FOR UPDATE
  TO authenticated USING ((select auth.uid()) = user_id) WITH CHECK ((select auth.uid()) = user_id);
CREATE POLICY "Users can delete own notes" ON public.notes FOR DELETE
  TO authenticated USING ((select auth.uid()) = user_id);
