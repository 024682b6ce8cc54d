//! Admin moderation: bans, hidden products, refunds; and every admin command refused to others.

use crate::support::app::{ADMIN, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with, publish};
use std::time::Duration;

const ADMIN_COMMANDS: [&str; 16] = [
    "/categories",
    "/category_add Books",
    "/category_rename 1 Ebooks",
    "/category_delete 1",
    "/payout_now",
    "/ban 1",
    "/unban 1",
    "/hide 1",
    "/unhide 1",
    "/refund 1",
    "/markpaid 1",
    "/stats",
    "/payments",
    "/payouts",
    "/health",
    "/broadcast",
];

#[tokio::test]
async fn a_non_admin_is_refused_every_admin_command() {
    let mut app = spawn_app().await;
    let user = TgUser::new(8001, "en");
    let refusals = |tg: &crate::support::fake_telegram::FakeTelegram| {
        tg.count_texts(user.id, "for the marketplace's admins")
    };
    for (n, command) in ADMIN_COMMANDS.iter().enumerate() {
        app.tg.send_text(&user, command);
        let mut waited = 0;
        while refusals(&app.tg) <= n {
            assert!(waited < 200, "no refusal of {command}");
            tokio::time::sleep(Duration::from_millis(25)).await;
            waited += 1;
        }
    }
    let categories: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM categories")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(categories, 0, "nothing changed");
    app.stop().await;
}

#[tokio::test]
async fn a_banned_seller_disappears_from_the_shop_and_a_banned_buyer_cannot_buy() {
    let mut app = spawn_app().await;
    let (seller, buyer, admin) = (
        TgUser::new(8101, "en"),
        TgUser::new(8102, "en"),
        TgUser::new(ADMIN, "en"),
    );
    let product = publish(&app, &seller, "Banned book", "20", "BQACAgBanned").await;

    app.tg.send_text(&admin, &format!("/ban {}", seller.id));
    app.tg.wait_for_text(ADMIN, "is banned").await;
    app.tg.send_text(&buyer, &format!("/start p_{product}"));
    app.tg.wait_for_text(buyer.id, "no longer available").await;
    app.tg.send_text(&buyer, "/browse");
    app.tg
        .wait_for_text(buyer.id, "No products for sale yet")
        .await;
    app.tg.send_text(&seller, "/sell");
    app.tg
        .wait_for_text(seller.id, "Your account is suspended")
        .await;

    app.tg.send_text(&admin, &format!("/unban {}", seller.id));
    app.tg.wait_for_text(ADMIN, "no longer banned").await;
    // The product is back; now the buyer is banned and cannot pay.
    let coins = open_currencies(&app, &buyer, product).await;
    app.tg.send_text(&admin, &format!("/ban {}", buyer.id));
    app.tg
        .wait_for_text(ADMIN, &format!("User {} is banned", buyer.id))
        .await;
    app.tg.press_button(&buyer, &coins, "BTC");
    app.tg
        .wait_for_text(buyer.id, "Your account is suspended")
        .await;
    assert!(
        app.np.payments().is_empty(),
        "no payment for a banned buyer"
    );

    // Hidden by an admin: out of the shop even though its seller has it on sale.
    app.tg.send_text(&admin, &format!("/hide {product}"));
    app.tg.wait_for_text(ADMIN, "is hidden from the shop").await;
    let other = TgUser::new(8103, "en");
    app.tg.send_text(&other, &format!("/start p_{product}"));
    app.tg.wait_for_text(other.id, "no longer available").await;
    app.tg.send_text(&admin, &format!("/unhide {product}"));
    app.tg.wait_for_text(ADMIN, "is back in the shop").await;
    open_currencies(&app, &other, product).await;
    app.tg.send_text(&admin, "/ban 424242");
    app.tg.wait_for_text(ADMIN, "No user 424242").await;
    app.tg.send_text(&admin, "/hide x");
    app.tg.wait_for_text(ADMIN, "Usage: /hide").await;
    app.stop().await;
}

#[tokio::test]
async fn refund_debits_the_seller_once_and_tells_buyer_and_seller() {
    let mut app = spawn_app().await;
    let (seller, buyer, admin) = (
        TgUser::new(8201, "en"),
        TgUser::new(8202, "en"),
        TgUser::new(ADMIN, "en"),
    );
    let product = publish(&app, &seller, "Refundable", "30", "BQACAgRefund").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;

    // Not finished yet: refused, nothing moves.
    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg
        .wait_for_text(ADMIN, "only a finished order can be refunded")
        .await;

    let finished = app
        .np
        .ipn_body(&payment.payment_id, "finished", &payment.pay_amount);
    assert_eq!(app.post_ipn(&finished).await, 200);
    app.tg.wait_for_text(seller.id, "Sale!").await;
    app.tg.send_text(&admin, &format!("/refund {order}"));
    let done = app.tg.wait_for_text(ADMIN, "is marked refunded").await;
    assert!(
        done.text().unwrap().contains("$30.00 taken back"),
        "{:?}",
        done.text()
    );
    assert!(done.text().unwrap().contains("NOWPayments dashboard"));
    app.tg.wait_for_text(buyer.id, "was refunded").await;
    app.tg
        .wait_for_text(
            seller.id,
            "was refunded: $30.00 taken back. Available balance: $0.00",
        )
        .await;
    assert_eq!(app.order_status(order).await, "refunded");
    // A second /refund changes nothing.
    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg
        .wait_for_text(ADMIN, "is refunded: only a finished order")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let refunds: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(refunds, 1);
    let history: String =
        sqlx::query_scalar("SELECT body FROM ipn_events WHERE payment_status = 'refunded'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert!(
        history.contains(&format!("souk-admin-refund:{ADMIN}")),
        "{history}"
    );
    app.tg.send_text(&admin, "/refund 999999");
    app.tg.wait_for_text(ADMIN, "No order #999999").await;
    app.stop().await;
}
