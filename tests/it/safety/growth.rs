//! Growth is bounded: status checks that change nothing are not kept, old rows are pruned, and
//! an order's details show its latest reports only.

use crate::support::app::{ADMIN, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::buyer_at_payment;

#[tokio::test]
async fn status_checks_that_change_nothing_leave_no_row_and_old_rows_are_pruned() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(12_701, "en"), TgUser::new(12_702, "en"));
    let (order_id, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    let rails = app.reconciler().rails;
    let settler = app.settler();
    let order = souk::store::orders::get(&app.store, order_id)
        .await
        .unwrap()
        .unwrap();
    for _ in 0..5 {
        settler.refresh(&rails, &order).await.unwrap();
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM ipn_events").await, 0);
    app.np
        .set_status(&payment.payment_id, "finished", &payment.pay_amount);
    settler.refresh(&rails, &order).await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM ipn_events").await,
        1,
        "the check that settled the order is kept"
    );
    app.tg.wait_for_text(buyer.id, "Receipt").await;

    app.tg.wait_for_text(seller.id, "Sale!").await;
    let pending = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL";
    for _ in 0..100 {
        if app.scalar(pending).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.scalar(pending).await, 0, "every message went out");

    // A year later: sent messages and old reports go.
    let now = souk::store::now();
    let sent = app
        .scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
        .await;
    assert!(sent > 0);
    let pruned = souk::store::retention::prune(&app.store, now + 365 * 86_400)
        .await
        .unwrap();
    assert_eq!(pruned.outbox as i64, sent, "{pruned}");
    assert_eq!(pruned.ipn_events, 1, "{pruned}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(app.order_status(order_id).await, "finished");
    app.stop().await;
}

#[tokio::test]
async fn an_order_with_hundreds_of_reports_shows_its_latest_in_one_message() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(ADMIN, "en");
    let (seller, buyer) = (TgUser::new(12_711, "en"), TgUser::new(12_712, "en"));
    let (order_id, _, payment) = buyer_at_payment(&app, &seller, &buyer).await;
    for i in 0..300 {
        sqlx::query(
            "INSERT INTO ipn_events (payment_id, order_id, payment_status, body, outcome, received_at) \
             VALUES ($1, $2, 'waiting', '{}', 'ignored', $3)",
        )
        .bind(&payment.payment_id)
        .bind(order_id)
        .bind(souk::store::now() - 300 + i)
        .execute(app.store.pool())
        .await
        .unwrap();
    }
    app.tg.press(&admin, &format!("adm:p:{order_id}"), 1);
    let detail = app.tg.wait_for_text(ADMIN, "288 earlier reports").await;
    assert!(detail.ok, "Telegram took the message");
    app.stop().await;
}

/// A user seen again as they were (every update in the chat, every Mini App call) costs a
/// read, not a write; a new name is written.
#[tokio::test]
async fn a_user_seen_again_unchanged_is_not_written_again() {
    let mut app = spawn_app().await;
    let store = &app.store;
    let lang = souk::store::users::seen(store, 4_242, Some("amina"), "Amina", "fr")
        .await
        .unwrap();
    assert_eq!(lang, "fr");
    sqlx::query("UPDATE users SET updated_at = 1 WHERE id = 4242")
        .execute(store.pool())
        .await
        .unwrap();
    let lang = souk::store::users::seen(store, 4_242, Some("amina"), "Amina", "en")
        .await
        .unwrap();
    assert_eq!(lang, "fr", "a returning user keeps their language");
    assert_eq!(
        app.scalar("SELECT updated_at FROM users WHERE id = 4242")
            .await,
        1,
        "nothing changed, nothing written"
    );
    souk::store::users::seen(store, 4_242, Some("amina_shop"), "Amina", "en")
        .await
        .unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE id = 4242 AND username = 'amina_shop' AND updated_at > 1")
            .await,
        1,
        "a new username is kept"
    );
    app.stop().await;
}
