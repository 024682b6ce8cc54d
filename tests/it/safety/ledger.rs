//! A seller is debited only what they were credited.

use crate::support::app::{ADMIN, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::buyer_at_payment;
use std::time::Duration;

#[tokio::test]
async fn a_partial_payment_refunded_debits_the_seller_nothing() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(12_061, "en"), TgUser::new(12_062, "en"));
    let (order, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let partial = app
        .np
        .ipn_body(&payment.payment_id, "partially_paid", "0.0001");
    assert_eq!(app.post_ipn(&partial).await, 200);
    let refunded = app.np.ipn_body(&payment.payment_id, "refunded", "0.0001");
    assert_eq!(app.post_ipn(&refunded).await, 200);
    app.tg.wait_for_text(buyer.id, "was refunded").await;
    assert_eq!(app.order_status(order).await, "refunded");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM ledger_entries").await,
        0,
        "nothing was credited, so nothing is debited"
    );
    app.tg
        .assert_no_call("a debit notice", Duration::from_millis(800), |c| {
            c.chat_id() == Some(seller.id) && c.text().is_some_and(|t| t.contains("taken back"))
        })
        .await;
    let _ = ADMIN;
    app.stop().await;
}
