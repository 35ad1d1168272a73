-- Mistake: a second SELECT policy is added so that a "community heroes" screen can show
-- other families' heroes. Permissive policies are OR'ed, so "Users can view own heroes"
-- no longer restricts anything: every signed-in user (and anon: no TO clause) reads
-- every hero. The document's heroes have exactly their four own-data policies and the
-- service role's ("Heroes: Users can only access their own heroes").
CREATE POLICY "Heroes are visible to everyone" ON heroes
    FOR SELECT USING (true);
