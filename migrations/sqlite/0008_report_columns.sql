-- Each kept payment report says who wrote it and what it says was paid and received, so that
-- nothing reads a rail's wire format back from `body` (which stays as the rail sent it).
ALTER TABLE ipn_events ADD COLUMN source TEXT;
ALTER TABLE ipn_events ADD COLUMN paid TEXT;
ALTER TABLE ipn_events ADD COLUMN outcome_amount TEXT;
-- Reports kept before: souk's own carried "source", NOWPayments' carry "actually_paid" and
-- "outcome_amount" (numbers or strings; `->` keeps a number's text as it was sent).
UPDATE ipn_events SET
    source = CASE WHEN json_type(body, '$.source') = 'text'
        THEN json_extract(body, '$.source') END,
    paid = CASE WHEN json_type(body, '$.actually_paid') IN ('integer', 'real', 'text')
        THEN trim(body -> '$.actually_paid', '"') END,
    outcome_amount = CASE WHEN json_type(body, '$.outcome_amount') IN ('integer', 'real', 'text')
        THEN trim(body -> '$.outcome_amount', '"') END
WHERE json_valid(body);
