-- Mistake: the updated_at trigger of conversations is dropped (during a bulk import
-- and never recreated): conversations.updated_at no longer moves on modification and
-- the database has 3 triggers, not 4.
DROP TRIGGER update_conversations_updated_at ON conversations;
