-- Mistake: a migration recreates messages.conversation_id's foreign key (to rename it)
-- without ON DELETE CASCADE, so it is NO ACTION and deleting a conversation with
-- messages fails instead of cascading to them.
ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey;
ALTER TABLE messages
    ADD CONSTRAINT fk_messages_conversation
    FOREIGN KEY (conversation_id) REFERENCES conversations(id);
