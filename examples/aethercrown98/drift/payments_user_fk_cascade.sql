-- Mistake: payments.user_id's foreign key is recreated with ON DELETE CASCADE instead
-- of SET NULL (copied from ai_clones): deleting a user now deletes their payment
-- records, which the document keeps.
ALTER TABLE payments DROP CONSTRAINT payments_user_id_fkey;
ALTER TABLE payments ADD CONSTRAINT payments_user_id_fkey
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
