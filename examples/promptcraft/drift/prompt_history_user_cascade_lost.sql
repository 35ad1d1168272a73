-- Mistake: the user_id foreign key of prompt_history is re-created without ON DELETE
-- CASCADE, so deleting an account fails (or leaves history behind) instead of removing it.
ALTER TABLE public.prompt_history
    DROP CONSTRAINT prompt_history_user_id_fkey,
    ADD CONSTRAINT prompt_history_user_id_fkey
        FOREIGN KEY (user_id) REFERENCES auth.users(id);
