//! What a batch's ledger entries owe referrers: a referred buyer's sale (within the referral
//! window of their arrival) earns the referrer a share of the order's commission, held with the
//! sale; its refund takes that share back, once.

use super::decide::Pending;
use crate::domain::ledger::EntryKind;
use crate::store::ledger::NewEntry;
use crate::store::{Conn, StoreError, referrals};

pub(super) async fn referral_entries(
    conn: &mut Conn,
    pending: &[Pending],
    entries: &[NewEntry],
    policy: crate::store::Referrals,
) -> Result<Vec<NewEntry>, StoreError> {
    let mut owed = Vec::new();
    for e in entries {
        let Some(order_id) = e.order_id else { continue };
        match e.kind {
            EntryKind::Sale => {
                let Some(p) = pending.iter().find(|p| p.row.order.id == order_id) else {
                    continue;
                };
                // The buyer was referred, and ordered within the window of their arrival.
                let Some((referrer, _)) =
                    p.row.referral.filter(|(_, after)| *after <= policy.window)
                else {
                    continue;
                };
                let amount = policy.share.commission_on(p.row.order.commission);
                if amount.0 > 0 {
                    owed.push(NewEntry {
                        seller_id: referrer,
                        kind: EntryKind::Referral,
                        amount,
                        order_id: Some(order_id),
                        reference: format!("referral:{order_id}"),
                        clears_at: e.clears_at,
                    });
                }
            }
            EntryKind::Refund => {
                let Some((referrer, amount, clears_at)) =
                    referrals::credit_of_order_in(conn, order_id).await?
                else {
                    continue;
                };
                let still_held = clears_at.filter(|t| *t > crate::store::now());
                owed.push(NewEntry {
                    seller_id: referrer,
                    kind: EntryKind::ReferralReversal,
                    amount,
                    order_id: Some(order_id),
                    reference: format!("referral_reversal:{order_id}"),
                    clears_at: still_held,
                });
            }
            _ => {}
        }
    }
    Ok(owed)
}
