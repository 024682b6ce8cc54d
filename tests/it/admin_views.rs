//! The admins' views: /stats and its chart, /payments with its pages and IPN history,
//! /payouts and /health.

use crate::support::app::{ADMIN, TestApp, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with, publish};

/// A sale of `product` to a new buyer, paid in `coin` and finished.
async fn sale(app: &TestApp, buyer: i64, product: i64, coin: &str) -> i64 {
    let buyer = TgUser::new(buyer, "en");
    let coins = open_currencies(app, &buyer, product).await;
    let (order, _, payment) = pay_with(app, &buyer, &coins, coin).await;
    assert_eq!(app.report(&payment, "finished").await, 200);
    order
}

fn dollars(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

#[tokio::test]
async fn stats_equal_the_database_to_the_cent_with_a_chart() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(ADMIN, "en");
    let (ann, bob) = (TgUser::new(9601, "en"), TgUser::new(9602, "en"));
    let book = publish(&app, &ann, "Book", "25", "BQACAgStatsBook").await;
    let guide = publish(&app, &bob, "Guide", "12.50", "BQACAgStatsGuide").await;
    sale(&app, 9611, book, "BTC").await;
    sale(&app, 9612, book, "BTC").await;
    sale(&app, 9613, guide, "ETH").await;
    // An order still waiting counts for nothing.
    let coins = open_currencies(&app, &TgUser::new(9614, "en"), book).await;
    pay_with(&app, &TgUser::new(9614, "en"), &coins, "BTC").await;

    let gross = app
        .scalar("SELECT CAST(SUM(total_cents) AS BIGINT) FROM orders WHERE status = 'finished'")
        .await;
    let commission = app
        .scalar(
            "SELECT CAST(SUM(commission_cents) AS BIGINT) FROM orders WHERE status = 'finished'",
        )
        .await;
    app.tg.send_text(&admin, "/stats week");
    let text = app.tg.wait_for_text(ADMIN, "Sales, last 7 days").await;
    let text = text.text().unwrap();
    for expected in [
        format!("Sales: 3 · gross volume {}", dollars(gross)),
        format!("average sale {}", dollars((2 * gross + 3) / 6)),
        format!("Commission earned: {}", dollars(commission)),
        // NOWPayments kept 0.5% of each payment: 12.85 → 13, 12.85 → 13, 6.425 → 6 cents.
        "NOWPayments fees: $0.32 (unknown for 0 sales)".to_string(),
        "1. user9601 (#9601): 2 sales, $50.00".to_string(),
        "2. user9602 (#9602): 1 sales, $12.50".to_string(),
        format!("BTC: 2 sales, {}", dollars(2570 * 2)),
    ] {
        assert!(text.contains(&expected), "{expected:?} not in {text}");
    }
    let photo = app
        .tg
        .wait_for("the chart", |c| {
            c.method == "sendPhoto" && c.chat_id() == Some(ADMIN)
        })
        .await;
    let png = photo.file("photo").expect("a PNG");
    if let Ok(path) = std::env::var("SOUK_CHART_OUT") {
        std::fs::write(path, png).unwrap(); // to look at the chart
    }
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (900, 450));
    // Today's bar is drawn in the bar colour; text and axes make other colours.
    let bar = souk::bot::chart::BAR_COLOR;
    let bar_pixels = pixels
        .chunks(3)
        .filter(|p| p[0] == bar.0 && p[1] == bar.1 && p[2] == bar.2)
        .count();
    assert!(bar_pixels > 1000, "a visible bar: {bar_pixels} pixels");
    let dark = pixels
        .chunks(3)
        .filter(|p| p[0] < 60 && p[1] < 60 && p[2] < 60)
        .count();
    assert!(dark > 500, "labels are drawn: {dark} dark pixels");

    app.tg.send_text(&admin, "/stats year");
    app.tg.wait_for_text(ADMIN, "Usage: /stats").await;
    app.stop().await;
}

#[tokio::test]
async fn payments_page_filter_and_open_with_their_ipn_history() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(ADMIN, "en");
    let seller = TgUser::new(9701, "en");
    let book = publish(&app, &seller, "Paged", "20", "BQACAgPaged").await;
    let mut orders = Vec::new();
    for n in 0..10 {
        let buyer = TgUser::new(9710 + n, "en");
        let coins = open_currencies(&app, &buyer, book).await;
        let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
        if n < 3 {
            assert_eq!(app.report(&payment, "finished").await, 200);
        }
        orders.push(order);
    }
    app.tg.send_text(&admin, "/payments");
    let first = app.tg.wait_for_text(ADMIN, "page 1 of 2, 10 in all").await;
    let newest = orders[9];
    assert!(
        first
            .text()
            .unwrap()
            .contains(&format!("#{newest} · waiting")),
        "{:?}",
        first.text()
    );
    app.tg.press_button(&admin, &first, "Next ▶");
    let second = app.tg.wait_for_text(ADMIN, "page 2 of 2").await;
    assert!(
        second
            .text()
            .unwrap()
            .contains(&format!("#{} ·", orders[0]))
    );
    let finished = second.button_data("finished").unwrap();
    app.tg
        .press(&admin, &finished, second.message_id().unwrap());
    let filtered = app
        .tg
        .wait_for_text(ADMIN, "Payments (finished), page 1 of 1, 3 in all")
        .await;
    app.tg
        .press_button(&admin, &filtered, &format!("#{}", orders[0]));
    let detail = app
        .tg
        .wait_for_text(ADMIN, &format!("Order #{}: finished", orders[0]))
        .await;
    let text = detail.text().unwrap();
    assert!(
        text.contains("IPN history:") && text.contains("finished → applied (NOWPayments)"),
        "{text}"
    );
    app.tg.send_text(&admin, "/payments 1 bogus");
    app.tg.wait_for_text(ADMIN, "Usage: /payments").await;
    app.stop().await;
}

#[tokio::test]
async fn health_and_payouts_views_answer() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(ADMIN, "en");
    app.tg.send_text(&admin, "/health");
    let h = app.tg.wait_for_text(ADMIN, "Health").await;
    let text = h.text().unwrap();
    assert!(
        text.contains("NOWPayments: ✅ ok") && text.contains("Database: ✅ ok"),
        "{text}"
    );
    assert!(
        text.contains("Custody balance: payouts off") && text.contains("outbox: 0"),
        "{text}"
    );
    app.tg.send_text(&admin, "/payouts");
    app.tg.wait_for_text(ADMIN, "No payout run yet").await;
    app.stop().await;
}
