-- Mistake: the ai_tasks policy is "simplified" and its subquery loses
-- WHERE user_id = auth.uid(): it now only checks that the task's clone_id names some
-- clone the caller can read. The policy no longer states whose tasks are whose; what
-- still keeps them apart is ai_clones' own policy, which the subquery runs under
-- (clone_select_own). The isolation items show it: alone, this drift leaks nothing;
-- with clone_select_own widened as well (clones_select_policy_widened.sql), every
-- task of every visible clone is visible.
ALTER POLICY task_select_clone ON ai_tasks
  USING (clone_id IN (SELECT id FROM ai_clones));
