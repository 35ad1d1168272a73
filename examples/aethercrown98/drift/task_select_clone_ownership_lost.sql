-- Mistake: the ai_tasks policy is "simplified" and its subquery loses
-- WHERE user_id = auth.uid(): it now only checks that the task's clone_id names some
-- clone, so every signed-in (or anonymous) caller sees every user's tasks.
ALTER POLICY task_select_clone ON ai_tasks
  USING (clone_id IN (SELECT id FROM ai_clones));
