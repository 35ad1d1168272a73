-- Mistake: messages.created_at loses its DEFAULT now() (the ORM "sets it anyway"), so
-- an insert without created_at fails instead of getting the insert time.
ALTER TABLE messages ALTER COLUMN created_at DROP DEFAULT;
