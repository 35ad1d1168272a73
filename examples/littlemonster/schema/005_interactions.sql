-- Little Monster: 005_interactions.sql - Conversations and messages
-- ("Individual Schemas" 5; tables conversations, messages).
-- Design note: no DDL in the document; columns designed from "Chat sessions" and
-- "Chat messages".

-- conversations - Chat sessions (updated_at moves with the conversation's activity)
CREATE TABLE conversations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    study_material_id UUID REFERENCES study_materials(id) ON DELETE SET NULL,
    title VARCHAR(255),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- a user's conversations, most recent first (also indexes the user_id foreign key)
CREATE INDEX idx_conversations_user_updated ON conversations (user_id, updated_at DESC);
CREATE INDEX idx_conversations_study_material_id ON conversations (study_material_id);
CREATE INDEX idx_conversations_created_at ON conversations (created_at);

CREATE TRIGGER update_conversations_updated_at
    BEFORE UPDATE ON conversations
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- messages - Chat messages
CREATE TABLE messages (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id UUID NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    tts_audio_file_id UUID REFERENCES tts_audio_files(id) ON DELETE SET NULL,
    role VARCHAR(20) NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content TEXT NOT NULL,
    token_count INTEGER,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- a conversation's messages in order (also indexes the conversation_id foreign key)
CREATE INDEX idx_messages_conversation_created ON messages (conversation_id, created_at);
CREATE INDEX idx_messages_tts_audio_file_id ON messages (tts_audio_file_id);
CREATE INDEX idx_messages_created_at ON messages (created_at);
