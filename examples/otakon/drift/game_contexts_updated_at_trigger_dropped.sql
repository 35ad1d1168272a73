-- Mistake: the updated_at trigger of game_contexts is dropped while the table is
-- altered and not recreated ("Updated timestamps via triggers").
DROP TRIGGER update_game_contexts_updated_at ON public.game_contexts;
