//! Referrals: a new user attributed once and for good to the link that brought them (never to
//! themselves), their purchase earning the referrer a share of the fee, held like the sale and
//! credited once, and /invite's figures.

use crate::support::app::{Options, TestApp, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{is_delivery, open_currencies, pay_with, publish};

async fn referred_by(app: &TestApp, user: i64) -> i64 {
    app.scalar(&format!(
        "SELECT COALESCE(referred_by, 0) FROM users WHERE id = {user}"
    ))
    .await
}

#[tokio::test]
async fn a_referral_is_credited_once_after_the_window_and_never_to_oneself() {
    let mut app = spawn_app_with(Options {
        extra_env: vec![("SALE_HOLD_DAYS", "7".into())],
        ..Options::default()
    })
    .await;
    let (seller, referrer, friend) = (
        TgUser::new(17_001, "en"),
        TgUser::new(17_002, "en"),
        TgUser::new(17_003, "en"),
    );
    let product = publish(&app, &seller, "Guide", "25", "BQACAgRefGuide").await;
    app.tg.send_text(&referrer, "/invite");
    let invite = app.tg.wait_for_text(referrer.id, "Invite people").await;
    let text = invite.text().unwrap();
    assert!(
        text.contains("https://t.me/souk_test_bot?start=r_17002"),
        "{text}"
    );
    assert!(
        text.contains("you earn 20% of the platform's fee"),
        "{text}"
    );

    // Nobody refers themselves.
    app.tg.send_text(&referrer, "/start r_17002");
    app.tg.wait_for_text(referrer.id, "Welcome").await;
    assert_eq!(referred_by(&app, referrer.id).await, 0);

    // A new user arrives through the link: attributed, and another link later changes nothing.
    app.tg.send_text(&friend, "/start r_17002");
    app.tg.wait_for_text(friend.id, "Welcome").await;
    assert_eq!(referred_by(&app, friend.id).await, referrer.id);
    app.tg
        .send_text(&friend, &format!("/start r_{}", seller.id));
    app.tg.wait_for_text(friend.id, "Welcome").await;
    assert_eq!(referred_by(&app, friend.id).await, referrer.id);

    // The friend buys: 20% of the $0.70 fee is $0.14, held with the sale, credited once.
    let coins = open_currencies(&app, &friend, product).await;
    let (order, _, payment) = pay_with(&app, &friend, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    app.tg
        .wait_for("the guide", |c| is_delivery(c, friend.id, "BQACAgRefGuide"))
        .await;
    let note = app
        .tg
        .wait_for_text(referrer.id, "A buyer you invited bought")
        .await;
    let text = note.text().unwrap();
    assert!(
        text.contains("$0.14 earned") && text.contains("held until"),
        "{text}"
    );
    app.report(&payment, "finished").await;
    let credits = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'referral' AND order_id = {order} AND amount_cents = 14 AND seller_id = {}",
            referrer.id
        ))
        .await;
    assert_eq!(credits, 1);
    let b = souk::store::ledger::balances(&app.store, referrer.id)
        .await
        .unwrap();
    assert_eq!((b.available.0, b.held.0), (0, 14));

    // The window passes: the share is available to the referrer's payouts.
    sqlx::query("UPDATE ledger_entries SET clears_at = $1 WHERE clears_at IS NOT NULL")
        .bind(souk::store::now() - 1)
        .execute(app.store.pool())
        .await
        .unwrap();
    let b = souk::store::ledger::balances(&app.store, referrer.id)
        .await
        .unwrap();
    assert_eq!((b.available.0, b.held.0), (14, 0));
    app.tg.send_text(&referrer, "/invite");
    app.tg
        .wait_for_text(referrer.id, "Signups: 1 · Purchases: 1 · Earned: $0.14")
        .await;

    // The purchase is refunded: its share is taken back, once.
    let admin = TgUser::new(crate::support::app::ADMIN, "en");
    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg.wait_for_text(admin.id, "is marked refunded").await;
    app.tg
        .wait_for_text(referrer.id, "the $0.14 it earned you is taken back")
        .await;
    let b = souk::store::ledger::balances(&app.store, referrer.id)
        .await
        .unwrap();
    assert_eq!((b.available.0, b.held.0), (0, 0));
    app.tg.send_text(&referrer, "/invite");
    app.tg
        .wait_for_text(referrer.id, "Signups: 1 · Purchases: 0 · Earned: $0.00")
        .await;
    app.stop().await;
}
