-- Mistake: the updated_at trigger of story_illustrations is dropped during a bulk
-- status backfill and not re-created, so updated_at stops moving; the document applies
-- update_updated_at_column() "to all tables with updated_at".
DROP TRIGGER update_story_illustrations_updated_at ON story_illustrations;
