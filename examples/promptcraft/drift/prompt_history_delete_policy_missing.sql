-- Mistake: the DELETE policy of prompt_history is missing (a migration rewrote the
-- table's policies and forgot the fourth); users can no longer delete their history.
DROP POLICY "Users can delete own data" ON public.prompt_history;
