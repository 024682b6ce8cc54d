//! What a batch's moves do to memberships of sold chats: a finished access order extends its
//! buyer's membership by the period it paid, in the batch's transaction (the order moves to
//! finished once, so a repeated report never extends twice); a refunded one ends it.

use super::decide::Pending;
use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use crate::store::{Conn, StoreError, memberships, orders};

pub(super) async fn memberships_in(
    conn: &mut Conn,
    pending: &[Pending],
    moves: &[orders::Move<'_>],
) -> Result<(), StoreError> {
    for m in moves {
        let Some(p) = pending.iter().find(|p| p.row.order.id == m.order_id) else {
            continue;
        };
        let (ProductKind::Access, Some(chat_id)) = (p.row.kind, p.row.access_chat) else {
            continue;
        };
        let order = &p.row.order;
        match m.to {
            OrderStatus::Finished => {
                memberships::extend_in(conn, order.id, order.product_id, order.buyer_id, chat_id)
                    .await?;
            }
            OrderStatus::Refunded => {
                memberships::end_in(conn, order.product_id, order.buyer_id).await?;
            }
            _ => {}
        }
    }
    Ok(())
}
