-- Little Monster: 004_content.sql - Content management
-- ("Individual Schemas" 4; tables tts_audio_files, recordings, study_materials).
-- Design note: no DDL in the document; columns designed from "Generated speech audio",
-- "User recordings" and "RAG study materials". Foreign keys only point to tables of
-- earlier files, so the "Incremental Deployment" order (001 ... 005) works.
-- study_materials holds the material's text; its embeddings would need pgvector, which
-- the document does not mention, so they are not part of this schema.

-- tts_audio_files - Generated speech audio
CREATE TABLE tts_audio_files (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    job_id UUID REFERENCES jobs(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    voice VARCHAR(100),
    audio_url TEXT NOT NULL,
    duration_seconds NUMERIC(10, 2),
    file_size_bytes BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_tts_audio_files_user_id ON tts_audio_files (user_id);
CREATE INDEX idx_tts_audio_files_job_id ON tts_audio_files (job_id);
CREATE INDEX idx_tts_audio_files_created_at ON tts_audio_files (created_at);

-- recordings - User recordings
CREATE TABLE recordings (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    transcription_id UUID REFERENCES transcriptions(id) ON DELETE SET NULL,
    title VARCHAR(255),
    file_url TEXT NOT NULL,
    mime_type VARCHAR(100),
    duration_seconds NUMERIC(10, 2),
    file_size_bytes BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_recordings_user_id ON recordings (user_id);
CREATE INDEX idx_recordings_transcription_id ON recordings (transcription_id);
CREATE INDEX idx_recordings_created_at ON recordings (created_at);

-- study_materials - RAG study materials
CREATE TABLE study_materials (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    transcription_id UUID REFERENCES transcriptions(id) ON DELETE SET NULL,
    title VARCHAR(255) NOT NULL,
    subject VARCHAR(100),
    content TEXT NOT NULL,
    source_type VARCHAR(50) NOT NULL DEFAULT 'upload',
    metadata JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_study_materials_user_id ON study_materials (user_id);
CREATE INDEX idx_study_materials_transcription_id ON study_materials (transcription_id);
CREATE INDEX idx_study_materials_created_at ON study_materials (created_at);
