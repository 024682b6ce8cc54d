//! `/export`: the admin's CSV of a period adds up to what `/stats` shows; a seller's holds only
//! their own rows, without their buyers' ids.

use crate::support::app::{ADMIN, spawn_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with, publish};

/// The amount after `label` in `text` ("gross volume $77.10" → 7710 cents).
fn cents_after(text: &str, label: &str) -> i64 {
    let rest = &text[text
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {text}"))
        + label.len()..];
    let amount: String = rest
        .trim_start_matches([' ', '$'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    let (whole, cents) = amount.split_once('.').unwrap();
    whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

fn cents(field: &str) -> i64 {
    let negative = field.starts_with('-');
    let (whole, frac) = field.trim_start_matches('-').split_once('.').unwrap();
    let n = whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if negative { -n } else { n }
}

#[tokio::test]
async fn an_admins_export_adds_up_to_stats_and_a_sellers_holds_only_theirs() {
    let mut app = spawn_app().await;
    let (seller, other, admin) = (
        TgUser::new(18_001, "en"),
        TgUser::new(18_002, "en"),
        TgUser::new(ADMIN, "en"),
    );
    let guide = publish(&app, &seller, "Guide", "25", "BQACAgExpGuide").await;
    let atlas = publish(&app, &other, "Atlas", "12.34", "BQACAgExpAtlas").await;
    for (n, product) in [(0, guide), (1, guide), (2, atlas)] {
        let buyer = TgUser::new(18_100 + n, "en");
        let coins = open_currencies(&app, &buyer, product).await;
        let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
        app.report(&payment, "finished").await;
        assert_eq!(app.order_status(order).await, "finished");
    }
    let late = TgUser::new(18_110, "en");
    let coins = open_currencies(&app, &late, guide).await;
    let (_, _, payment) = pay_with(&app, &late, &coins, "BTC").await;
    app.report(&payment, "expired").await;

    app.tg.send_text(&admin, "/stats day");
    let stats = app.tg.wait_for_text(ADMIN, "Sales, last 24 hours").await;
    let stats = stats.text().unwrap().to_string();
    app.tg.send_text(&admin, "/export");
    let doc = app
        .tg
        .wait_for("the admin's export", |c| {
            c.method == "sendDocument" && c.chat_id() == Some(ADMIN)
        })
        .await;
    assert!(doc.text().unwrap().contains("rows"), "{:?}", doc.text());
    let text = String::from_utf8(doc.file("document").unwrap().to_vec()).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let sold: Vec<&Vec<&str>> = rows
        .iter()
        .filter(|r| r[0] == "order" && r[7] == "finished" && !r[14].is_empty())
        .collect();
    assert_eq!(sold.len(), 3);
    assert!(stats.contains("Sales: 3"), "{stats}");
    let total: i64 = sold.iter().map(|r| cents(r[11])).sum();
    let commission: i64 = sold.iter().map(|r| cents(r[10])).sum();
    assert_eq!(total, cents_after(&stats, "gross volume"));
    assert_eq!(commission, cents_after(&stats, "Commission earned:"));
    assert_eq!(
        rows.iter()
            .filter(|r| r[0] == "order" && r[7] == "expired")
            .count(),
        1,
        "every order of the period is there"
    );
    let credited: i64 = rows
        .iter()
        .filter(|r| r[0] == "ledger" && r[7] == "sale")
        .map(|r| cents(r[13]))
        .sum();
    assert_eq!(credited, 2500 + 2500 + 1234);

    // The seller's own: their rows only, no buyer ids.
    app.tg.send_text(&seller, "/export");
    let doc = app
        .tg
        .wait_for("the seller's export", |c| {
            c.method == "sendDocument" && c.chat_id() == Some(seller.id)
        })
        .await;
    let text = String::from_utf8(doc.file("document").unwrap().to_vec()).unwrap();
    for line in text.lines().skip(1) {
        let r: Vec<&str> = line.split(',').collect();
        assert_eq!(r[5], seller.id.to_string(), "{line}");
        assert_eq!(r[6], "", "no buyer id: {line}");
    }
    app.tg.send_text(&admin, "/export 2026-13-01");
    app.tg.wait_for_text(ADMIN, "Usage: /export").await;
    app.stop().await;
}
