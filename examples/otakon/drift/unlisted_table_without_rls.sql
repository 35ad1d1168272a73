-- Mistake: a daily cost roll-up table is added by hand, outside the master schema and
-- without RLS ("25 Total Tables" lists no such table; "RLS enabled on ALL tables").
CREATE TABLE public.api_cost_daily (
    day date PRIMARY KEY,
    total_cost_usd numeric(12, 6) NOT NULL DEFAULT 0
);
