//! A rail's notice, vetted: a report passes as it stands; a rail's verdict on one of its orders
//! becomes a report once the order is found to be the rail's and the amount paid the order's; a
//! payment the rail closed without news is the admins' to look at.

use super::Settled;
use super::messages::mismatch_alert;
use crate::domain::OrderStatus;
use crate::domain::report::PaymentReport;
use crate::payments::rail::{Notice, Rail};
use crate::store::ipn_events::IpnOutcome;
use crate::store::outbox::{OrderButton, OutboxMessage};
use crate::store::{Store, StoreError, orders, outbox};

/// What a notice comes to.
pub(super) enum Vetted {
    /// A report to settle.
    Report(Box<PaymentReport>),
    /// Nothing to settle (unknown order, amount mismatch told to the admins, closed payment).
    Done(Settled),
}

/// Vets a notification, or (`check`) the answer to souk's own status check.
pub(super) async fn vet(
    store: &Store,
    rail: &dyn Rail,
    notice: &Notice,
    check: bool,
) -> Result<Vetted, StoreError> {
    let done = |outcome, order_id| {
        Vetted::Done(Settled {
            outcome,
            order_id,
            status: None,
        })
    };
    match notice {
        Notice::Report(report) => Ok(Vetted::Report(Box::new(PaymentReport {
            check,
            ..(**report).clone()
        }))),
        Notice::Status {
            order_id,
            status,
            paid,
            source,
            raw,
        } => {
            let order = orders::get(store, *order_id)
                .await?
                .filter(|o| rail.serves(&o.pay_currency));
            let Some(order) = order else {
                return Ok(done(IpnOutcome::UnknownOrder, None));
            };
            let payment_id = order.payment_id_or_unbilled();
            let asked = match order.pay_amount.as_deref() {
                Some(amount) => amount.parse().ok(),
                None => rail.amount_due(&order),
            };
            if *status == OrderStatus::Finished
                && let Some(paid) = paid
                && Some(paid.value()) != asked
            {
                let reason = format!(
                    "{} reports {} {} paid, the order asks {}",
                    rail.name(),
                    paid.as_str(),
                    order.pay_currency,
                    order.pay_amount.as_deref().unwrap_or("nothing yet"),
                );
                let alert = mismatch_alert(order.id, &payment_id, reason, raw);
                outbox::enqueue_now(store, &[alert]).await?;
                return Ok(done(IpnOutcome::Mismatch, Some(order.id)));
            }
            Ok(Vetted::Report(Box::new(PaymentReport {
                check,
                ..PaymentReport::own(
                    order.id,
                    &payment_id,
                    *status,
                    paid.clone(),
                    source,
                    Some(raw.clone()),
                )
            })))
        }
        Notice::Closed { order_id } => {
            if let Some(order) = orders::get(store, *order_id).await?
                && order.status.is_open()
                && !order.is_past_expiry(chrono::Utc::now().timestamp())
            {
                closed_without_news(store, &order).await?;
            }
            Ok(done(IpnOutcome::Ignored, Some(*order_id)))
        }
    }
}

/// The rail closed an open order's payment before its expiry without saying how it ended (paid
/// or not): the admins are asked to look in the rail's dashboard and settle it (once).
async fn closed_without_news(store: &Store, order: &orders::Order) -> Result<(), StoreError> {
    tracing::error!(
        order_id = order.id,
        "the rail closed a payment without a notification"
    );
    let args = [
        ("order", order.id.to_string()),
        ("payment", order.payment_id.clone().unwrap_or_default()),
    ];
    let order_id = order.id;
    let buttons = vec![
        OrderButton::MarkPaid { order: order_id },
        OrderButton::Open { order: order_id },
    ];
    let alert = outbox::alert_admins(
        &format!("payment-closed:{order_id}"),
        OutboxMessage::alert("admin-payment-closed", &args, buttons),
    );
    outbox::enqueue_now(store, &[alert]).await
}
