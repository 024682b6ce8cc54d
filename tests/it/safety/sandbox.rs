//! Sandbox mode never gives goods away on a real shop, and never credits what it simulates.

use crate::support::app::{Options, spawn_app_with, spawn_sandbox_app};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{is_delivery, open_currencies, publish};

#[tokio::test]
async fn a_shop_taking_stars_without_nowpayments_offers_no_simulated_coins() {
    let mut app = spawn_app_with(Options {
        sandbox: true,
        extra_env: vec![("STARS_PER_USD", "75".into())],
        ..Options::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(12_301, "en"), TgUser::new(12_302, "en"));
    let product = publish(&app, &seller, "Real book", "10", "BQACAgReal").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let labels: Vec<String> = coins
        .buttons()
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    assert!(labels.iter().any(|l| l.contains("Stars")), "{labels:?}");
    assert!(
        !labels.iter().any(|l| l.contains("BTC")),
        "no coin can be paid with the simulator: {labels:?}"
    );
    assert!(
        !app.tg
            .calls()
            .iter()
            .any(|c| c.text().is_some_and(|t| t.contains("Sandbox"))),
        "nobody is told of a sandbox"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_simulated_sale_delivers_but_credits_nothing() {
    let mut app = spawn_sandbox_app().await;
    let (seller, buyer) = (TgUser::new(12_311, "en"), TgUser::new(12_312, "en"));
    let product = publish(&app, &seller, "Sandbox guide", "10", "BQACAgSandboxGuide").await;
    let coins = open_currencies(&app, &buyer, product).await;
    app.tg.press_button(&buyer, &coins, "BTC");
    let photo = app
        .tg
        .wait_for("payment photo", |c| {
            c.method == "sendPhoto" && c.chat_id() == Some(buyer.id)
        })
        .await;
    app.tg.press_button(&buyer, &photo, "Simulate payment");
    app.tg
        .wait_for("the file", |c| {
            is_delivery(c, buyer.id, "BQACAgSandboxGuide")
        })
        .await;
    app.tg.wait_for_text(seller.id, "nothing is credited").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM ledger_entries").await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM orders WHERE status = 'finished' AND sandbox = 1")
            .await,
        1
    );
    app.stop().await;
}
