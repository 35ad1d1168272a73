-- Mistake: users have no UPDATE policy on stories, so increment_play_count() is made
-- SECURITY DEFINER to let it update play_count; it then runs with its owner's rights,
-- past RLS. The document's function is a plain (invoker) plpgsql function.
ALTER FUNCTION increment_play_count() SECURITY DEFINER;
