-- Mistake: "keep the audio when an account is deleted": recordings.user_id is made
-- nullable and its foreign key recreated ON DELETE SET NULL, so deleting a user no
-- longer deletes their recordings (the document: user deletion cascades to all related
-- data) and user_id loses its NOT NULL.
ALTER TABLE recordings ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE recordings DROP CONSTRAINT recordings_user_id_fkey;
ALTER TABLE recordings
    ADD CONSTRAINT recordings_user_id_fkey
    FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL;
