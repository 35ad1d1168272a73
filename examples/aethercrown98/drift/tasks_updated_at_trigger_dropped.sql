-- Mistake: the updated_at trigger of ai_tasks is dropped (a migration that recreated
-- the table's triggers forgot it), so ai_tasks.updated_at stays at the insert time.
DROP TRIGGER update_tasks_updated_at ON ai_tasks;
