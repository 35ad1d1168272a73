-- Mistake: payments.amount becomes double precision (an ORM mapping "number" to
-- float), where the document has DECIMAL(10, 2): money loses exactness and its scale.
ALTER TABLE payments ALTER COLUMN amount TYPE double precision;
