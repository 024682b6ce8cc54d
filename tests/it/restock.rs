//! Restock alerts: "Notify me" on a sold-out card, and each waiting user told once when the
//! seller restocks, with a button to the product.

use crate::support::app::spawn_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{Goods, open_currencies, pay_with, publish_goods};
use std::time::Duration;

#[tokio::test]
async fn a_restock_alerts_each_waiting_user_once() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(14_001, "en");
    let product = publish_goods(
        &app,
        &seller,
        "Rare key",
        "One licence key.",
        "15",
        None,
        Goods::Items("RARE-1"),
    )
    .await;
    let first = TgUser::new(14_002, "en");
    let coins = open_currencies(&app, &first, product).await;
    let (_, _, payment) = pay_with(&app, &first, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    app.tg.wait_for_text(first.id, "RARE-1").await;

    // Three users ask to be told; one asks twice.
    let waiting: Vec<TgUser> = (0..3).map(|i| TgUser::new(14_010 + i, "en")).collect();
    for (i, user) in waiting.iter().enumerate() {
        app.tg.send_text(user, &format!("/start p_{product}"));
        let card = app.tg.wait_for_text(user.id, "Rare key").await;
        let presses = if i == 0 { 2 } else { 1 };
        for _ in 0..presses {
            app.tg.press_button(user, &card, "Notify me");
            app.tg
                .wait_for("the toast", |c| {
                    c.method == "answerCallbackQuery"
                        && c.text().is_some_and(|t| t.contains("told once"))
                })
                .await;
        }
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM restock_alerts").await, 3);

    // The seller restocks: each is told once, with a way to the product.
    app.tg.press(&seller, &format!("edit:{product}:restock"), 1);
    app.tg.wait_for_text(seller.id, "new items").await;
    app.tg.send_text(&seller, "RARE-2\nRARE-3");
    app.tg.wait_for_text(seller.id, "2 items added").await;
    for user in &waiting {
        let alert = app.tg.wait_for_text(user.id, "is back in stock").await;
        assert_eq!(
            alert.button_data("See it").as_deref(),
            Some(format!("prod:{product}").as_str())
        );
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM restock_alerts").await, 0);

    // Another restock tells nobody again.
    app.tg.press(&seller, &format!("edit:{product}:restock"), 1);
    app.tg.wait_for_text(seller.id, "new items").await;
    app.tg.send_text(&seller, "RARE-4");
    app.tg.wait_for_text(seller.id, "1 item added").await;
    app.tg
        .assert_no_call("a second alert", Duration::from_millis(800), |c| {
            c.text().is_some_and(|t| t.contains("is back in stock"))
        })
        .await;
    for user in &waiting {
        assert_eq!(app.tg.count_texts(user.id, "is back in stock"), 1);
    }
    app.stop().await;
}
