-- Mistake: the partial index idx_active_tasks is recreated without its
-- WHERE status IN ('pending', 'in_progress'): it now indexes every task (and is a
-- duplicate of idx_tasks_clone_id) instead of the "frequently queried subset".
DROP INDEX idx_active_tasks;
CREATE INDEX idx_active_tasks ON ai_tasks(clone_id);
