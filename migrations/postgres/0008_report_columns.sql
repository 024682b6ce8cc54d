-- Each kept payment report says who wrote it and what it says was paid and received, so that
-- nothing reads a rail's wire format back from `body` (which stays as the rail sent it).
ALTER TABLE ipn_events ADD COLUMN source TEXT;
ALTER TABLE ipn_events ADD COLUMN paid TEXT;
ALTER TABLE ipn_events ADD COLUMN outcome_amount TEXT;
-- Reports kept before: souk's own carried "source", NOWPayments' carry "actually_paid" and
-- "outcome_amount" (numbers or strings). A body that is not JSON is left as it is.
DO $$
DECLARE
    r RECORD;
    j JSONB;
BEGIN
    FOR r IN SELECT id, body FROM ipn_events
             WHERE body LIKE '%"source"%' OR body LIKE '%"outcome_amount"%' LOOP
        BEGIN
            j := r.body::jsonb;
            UPDATE ipn_events SET
                source = CASE WHEN jsonb_typeof(j -> 'source') = 'string'
                    THEN j ->> 'source' END,
                paid = CASE WHEN jsonb_typeof(j -> 'actually_paid') IN ('number', 'string')
                    THEN j ->> 'actually_paid' END,
                outcome_amount = CASE WHEN jsonb_typeof(j -> 'outcome_amount') IN ('number', 'string')
                    THEN j ->> 'outcome_amount' END
            WHERE id = r.id;
        EXCEPTION WHEN others THEN NULL;
        END;
    END LOOP;
END $$;
