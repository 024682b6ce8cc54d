//! A Stars payment never vanishes: Telegram's own ledger of the bot's Star transactions is read
//! back, and a second charge for a paid order goes back to its buyer.

use crate::stars::{spawn_stars_app, stars_invoice};
use crate::support::app::{ADMIN, TestApp};
use crate::support::fake_telegram::{TgUser, token};
use crate::support::flows::{deliveries, publish};
use souk::jobs::stars::StarsLedger;

fn ledger(app: &TestApp) -> StarsLedger {
    StarsLedger {
        settler: app.settler(),
        bot: teloxide::Bot::new(token()).set_api_url(app.tg.api_url()),
    }
}

#[tokio::test]
async fn a_stars_payment_whose_update_never_settled_is_found_in_the_star_ledger() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(12_501, "en"), TgUser::new(12_502, "en"));
    let product = publish(&app, &seller, "Lost stars", "25", "BQACAgLostStars").await;
    let invoice = stars_invoice(&app, &buyer, product).await;
    let payload = invoice.str_param("payload").unwrap().to_string();
    let stars = invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32;
    // Telegram took the Stars, but souk never recorded the payment.
    app.tg
        .successful_payment_lost(&buyer, &payload, stars, "stxLOST1");

    let report = ledger(&app).run().await.unwrap();
    assert_eq!((report.read, report.charges), (1, 1), "{report}");
    app.tg
        .wait_for("the file", |c| {
            crate::support::flows::is_delivery(c, buyer.id, "BQACAgLostStars")
        })
        .await;
    app.tg.wait_for_text(seller.id, "$25.00 credited").await;
    let order: (String, Option<String>) =
        sqlx::query_as("SELECT status, payment_id FROM orders WHERE pay_currency = 'xtr'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(order, ("finished".into(), Some("stxLOST1".into())));

    // The next check starts after what it read; an hour later nothing expires.
    let again = ledger(&app).run().await.unwrap();
    assert_eq!(again.read, 0, "{again}");
    let now = souk::store::now();
    app.reconciler().run(now + 2 * 3600).await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM orders WHERE status = 'finished'")
            .await,
        1
    );
    assert_eq!(deliveries(&app, &buyer, "BQACAgLostStars"), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_second_charge_for_a_paid_order_is_refunded_to_its_buyer() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(12_511, "en"), TgUser::new(12_512, "en"));
    let product = publish(&app, &seller, "Twice paid", "25", "BQACAgTwice").await;
    let invoice = stars_invoice(&app, &buyer, product).await;
    let payload = invoice.str_param("payload").unwrap().to_string();
    let stars = invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32;
    app.tg
        .successful_payment(&buyer, &payload, stars, "stxFIRST");
    app.tg
        .wait_for("the file", |c| {
            crate::support::flows::is_delivery(c, buyer.id, "BQACAgTwice")
        })
        .await;
    // The same old invoice is paid again.
    app.tg
        .successful_payment(&buyer, &payload, stars, "stxSECOND");
    let refund = app
        .tg
        .wait_for("the refund", |c| c.method == "refundStarPayment")
        .await;
    assert_eq!(
        refund.str_param("telegram_payment_charge_id"),
        Some("stxSECOND")
    );
    app.tg
        .wait_for_text(ADMIN, "that charge was refunded to the buyer")
        .await;
    assert_eq!(deliveries(&app, &buyer, "BQACAgTwice"), 1);
    // The ledger check sees both charges and the refund, and changes nothing.
    let report = ledger(&app).run().await.unwrap();
    assert_eq!(report.read, 3, "{report}");
    assert_eq!(
        app.tg
            .calls()
            .iter()
            .filter(|c| c.method == "refundStarPayment")
            .count(),
        2,
        "the repeat is told the charge is already refunded"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'sale'")
            .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_second_charge_telegram_will_not_refund_yet_is_refunded_by_a_later_check() {
    let mut app = spawn_stars_app().await;
    let (seller, buyer) = (TgUser::new(12_521, "en"), TgUser::new(12_522, "en"));
    let product = publish(&app, &seller, "Owed back", "25", "BQACAgOwed").await;
    let invoice = stars_invoice(&app, &buyer, product).await;
    let payload = invoice.str_param("payload").unwrap().to_string();
    let stars = invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32;
    app.tg
        .successful_payment(&buyer, &payload, stars, "stxPAID");
    app.tg.wait_for_text(seller.id, "credited").await;
    app.tg
        .fail_next("refundStarPayment", 1, 400, "Bad Request: REFUND_FAILED");
    app.tg
        .successful_payment(&buyer, &payload, stars, "stxAGAIN");
    app.tg
        .wait_for_text(ADMIN, "Telegram would not refund that charge")
        .await;
    // Later charges keep being read, and the refund is tried again until it goes through.
    let report = ledger(&app).run().await.unwrap();
    assert!(report.refunded >= 1 && report.errors == 0, "{report}");
    app.tg
        .wait_for_text(ADMIN, "that charge was refunded to the buyer")
        .await;
    let again = ledger(&app).run().await.unwrap();
    assert_eq!((again.refunded, again.errors), (0, 0), "{again}");
    app.stop().await;
}
