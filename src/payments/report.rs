//! Payment reports souk writes itself (an expiry, a refund, a Stars or NexPay payment), shaped
//! like a NOWPayments status so that they go through the same settlement checks as an IPN.

use super::PaymentStatusBody;
use crate::store::orders::Order;

/// A report that `order` reached `status` with payment `payment_id`, `paid` (decimal text, in
/// the order's pay currency) having arrived when known; `source` says where it came from in the
/// order's IPN history.
pub fn synthetic(
    order: &Order,
    payment_id: &str,
    status: &str,
    paid: Option<&str>,
    source: &str,
) -> (PaymentStatusBody, String) {
    let raw = serde_json::json!({
        "source": source,
        "payment_id": payment_id,
        "payment_status": status,
        "price_amount": order.total.to_string(),
        "price_currency": "usd",
        "pay_currency": order.pay_currency,
        "order_id": order.id.to_string(),
    })
    .to_string();
    let mut body: PaymentStatusBody =
        serde_json::from_str(&raw).expect("a synthetic report is well-formed");
    body.actually_paid = paid.and_then(super::CryptoAmount::parse);
    (body, raw)
}
