-- Mistake: while debugging the cost dashboard, the admin-only SELECT policy on
-- api_cost_tracking is recreated as USING (true): every signed-in user can read
-- everyone's Gemini API costs ("Admin-only access to sensitive data (API costs)").
DROP POLICY api_cost_tracking_select_admin ON public.api_cost_tracking;
CREATE POLICY api_cost_tracking_select_admin ON public.api_cost_tracking
    FOR SELECT TO authenticated USING (true);
