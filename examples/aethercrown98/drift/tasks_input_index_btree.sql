-- Mistake: idx_tasks_input is rebuilt without USING GIN (a "cleanup" migration that
-- recreated every index as the default btree). A btree on jsonb cannot serve @>, ?
-- or ?| queries, the "fast queries" on JSONB fields the document's GIN indexes are for.
DROP INDEX idx_tasks_input;
CREATE INDEX idx_tasks_input ON ai_tasks(task_input);
