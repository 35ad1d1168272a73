-- Mistake: the waitlist import keeps the old system's text ids: waitlist.id becomes text
-- with no default ("Efficient UUIDs for primary keys").
ALTER TABLE public.waitlist ALTER COLUMN id DROP DEFAULT;
ALTER TABLE public.waitlist ALTER COLUMN id TYPE text USING id::text;
