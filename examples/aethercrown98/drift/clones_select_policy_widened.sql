-- Mistake: clone_select_own is widened so that active clones can be listed in a
-- directory of clones ("OR status = 'active'"), and every clone is active by default:
-- every caller (anon too: the policy has no TO clause) now reads every user's clone
-- configurations. The document says USING (auth.uid() = user_id).
-- (ai_tasks stays isolated: task_select_clone's subquery still keeps only the caller's
-- clones with its own WHERE user_id = auth.uid().)
ALTER POLICY clone_select_own ON ai_clones
  USING (auth.uid() = user_id OR status = 'active');
