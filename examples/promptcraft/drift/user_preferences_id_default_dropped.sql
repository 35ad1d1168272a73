-- Mistake: the id default of user_preferences is gone (a migration rewrote the column
-- from uuid_generate_v4() and dropped the default instead of moving to
-- gen_random_uuid()); inserts that do not send an id now fail.
ALTER TABLE public.user_preferences ALTER COLUMN id DROP DEFAULT;
