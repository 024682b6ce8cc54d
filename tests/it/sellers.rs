//! Sellers' accounts: the payout wallet and the earnings ledger.

use crate::support::app::{spawn_app, spawn_sandbox_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{is_delivery, open_currencies, pay_with, publish};

const TRON_A: &str = "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf";
const TRON_B: &str = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8";

#[tokio::test]
async fn a_seller_sets_a_wallet_that_nowpayments_accepts_and_confirms_a_change() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(5001, "en");
    app.tg.send_text(&seller, "/wallet");
    app.tg
        .wait_for_text(seller.id, "no payout wallet yet")
        .await;
    app.tg
        .send_text(&seller, "0x52908400098527886E0F7030069857D2E4169EE7");
    let refused = app.tg.wait_for_text(seller.id, "was refused").await;
    assert!(
        refused.text().unwrap().contains("Invalid payout_address"),
        "NOWPayments' reason is shown"
    );
    app.tg.send_text(&seller, TRON_A);
    app.tg.wait_for_text(seller.id, "Payout wallet saved").await;
    let wallet = souk::store::wallets::get(&app.store, seller.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (wallet.currency.as_str(), wallet.address.as_str()),
        ("usdttrc20", TRON_A)
    );

    // Changing it asks first; keeping changes nothing, replacing saves.
    app.tg.send_text(&seller, "/wallet");
    app.tg.wait_for_text(seller.id, TRON_A).await;
    app.tg.send_text(&seller, TRON_B);
    let ask = app
        .tg
        .wait_for_text(seller.id, "Replace your payout wallet?")
        .await;
    app.tg.press_button(&seller, &ask, "Keep");
    app.tg.wait_for_text(seller.id, "was not changed").await;
    assert_eq!(
        souk::store::wallets::get(&app.store, seller.id)
            .await
            .unwrap()
            .unwrap()
            .address,
        TRON_A
    );
    app.tg.send_text(&seller, "/wallet");
    app.tg.wait_for_text(seller.id, "Send a new address").await;
    app.tg.send_text(&seller, TRON_B);
    let ask = app
        .tg
        .wait_for_text(seller.id, "Replace your payout wallet?")
        .await;
    app.tg.press_button(&seller, &ask, "Replace");
    app.tg.wait_for_text(seller.id, TRON_B).await;
    assert_eq!(
        souk::store::wallets::get(&app.store, seller.id)
            .await
            .unwrap()
            .unwrap()
            .address,
        TRON_B
    );
    // A stale confirmation button does nothing.
    app.tg.press_button(&seller, &ask, "Replace");
    app.tg.wait_for_text(seller.id, "no longer valid").await;
    app.stop().await;
}

#[tokio::test]
async fn in_sandbox_mode_the_simulator_checks_the_address_format() {
    let mut app = spawn_sandbox_app().await;
    let seller = TgUser::new(5011, "fr");
    app.tg.send_text(&seller, "/wallet");
    app.tg
        .wait_for_text(seller.id, "pas encore de portefeuille")
        .await;
    app.tg.send_text(&seller, "TXYZ");
    app.tg.wait_for_text(seller.id, "a été refusée").await;
    app.tg.send_text(&seller, TRON_A);
    app.tg
        .wait_for_text(seller.id, "Portefeuille de versement enregistré")
        .await;
    app.stop().await;
}

async fn ledger_sum(app: &crate::support::app::TestApp, seller: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE seller_id = $1",
    )
    .bind(seller)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn sales_credit_the_price_refunds_take_it_back_and_earnings_equal_the_ledger() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(5021, "en"), TgUser::new(5022, "en"));
    let book = publish(&app, &seller, "Book", "25", "BQACAgBook").await;
    let course = publish(&app, &seller, "Course", "12.50", "BQACAgCourse").await;

    let coins = open_currencies(&app, &buyer, book).await;
    let (_, _, p1) = pay_with(&app, &buyer, &coins, "BTC").await;
    let coins = open_currencies(&app, &buyer, course).await;
    let (course_order, _, p2) = pay_with(&app, &buyer, &coins, "ETH").await;

    // One payment is still confirming: it is pending, not available.
    assert_eq!(app.report(&p2, "confirming").await, 200);
    let finished = app.np.ipn_body(&p1.payment_id, "finished", &p1.pay_amount);
    assert_eq!(app.post_ipn(&finished).await, 200);
    let sale = app.tg.wait_for_text(seller.id, "Sale!").await;
    assert!(
        sale.text().unwrap().contains("$25.00 credited"),
        "{:?}",
        sale.text()
    );
    assert!(
        sale.text().unwrap().contains("Available balance: $25.00"),
        "{:?}",
        sale.text()
    );
    app.tg.send_text(&seller, "/earnings");
    let e = app.tg.wait_for_text(seller.id, "Your earnings").await;
    let text = e.text().unwrap();
    assert!(
        text.contains("Pending (paid, not yet confirmed): $12.50"),
        "{text}"
    );
    assert!(
        text.contains("Available: $25.00") && text.contains("Paid out: $0.00"),
        "{text}"
    );
    assert!(text.contains("sale · +$25.00"), "{text}");
    assert_eq!(ledger_sum(&app, seller.id).await, 2500);

    // The second sale settles; a repeated IPN credits nothing more; then a refund.
    let finished2 = app.np.ipn_body(&p2.payment_id, "finished", &p2.pay_amount);
    assert_eq!(app.post_ipn(&finished2).await, 200);
    assert_eq!(app.post_ipn(&finished2).await, 200);
    let second = app
        .tg
        .wait_for_text(seller.id, "Available balance: $37.50")
        .await;
    assert!(second.text().unwrap().contains("$12.50 credited"));
    app.tg
        .wait_for("course delivered", |c| {
            is_delivery(c, buyer.id, "BQACAgCourse")
        })
        .await;
    assert_eq!(ledger_sum(&app, seller.id).await, 3750);
    let refunded = app.np.ipn_body(&p2.payment_id, "refunded", &p2.pay_amount);
    assert_eq!(app.post_ipn(&refunded).await, 200);
    assert_eq!(app.post_ipn(&refunded).await, 200);
    app.tg
        .wait_for_text(
            seller.id,
            "was refunded: $12.50 taken back. Available balance: $25.00",
        )
        .await;
    assert_eq!(app.order_status(course_order).await, "refunded");
    assert_eq!(ledger_sum(&app, seller.id).await, 2500);
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(entries, 3, "sale, sale, refund: repeats wrote nothing");

    app.tg.send_text(&seller, "/earnings");
    let e = app.tg.wait_for_text(seller.id, "Your earnings").await;
    let text = e.text().unwrap();
    assert!(
        text.contains("Available: $25.00")
            && text.contains("Pending (paid, not yet confirmed): $0.00"),
        "{text}"
    );
    assert!(text.contains("refund · -$12.50"), "{text}");
    app.stop().await;
}
