//! A text product as long as Telegram lets a seller type still reaches its buyer whole, at
//! delivery and again from /purchases.

use crate::support::app::spawn_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{Goods, open_currencies, pay_with, publish_goods};

/// Everything the buyer was sent as text, in order.
fn texts_to(app: &crate::support::app::TestApp, chat: i64) -> String {
    app.tg
        .calls()
        .iter()
        .filter(|c| c.method == "sendMessage" && c.chat_id() == Some(chat))
        .filter_map(|c| c.text().map(str::to_string))
        .collect::<Vec<_>>()
        .concat()
}

/// Every line of `content` arrived (a message's edges may lose their line breaks).
fn assert_whole(sent: &str, content: &str) {
    for line in content.lines() {
        assert!(sent.contains(line), "{line:?} never arrived");
    }
}

#[tokio::test]
async fn a_text_of_four_thousand_characters_is_delivered_whole() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(12_101, "en"), TgUser::new(12_102, "en"));
    let lines: Vec<String> = (0..100)
        .map(|i| format!("{i:03} {}", "x".repeat(36)))
        .collect();
    let content = lines.join("\n");
    assert_eq!(content.chars().count(), 4099);
    let content = &content[..4090];
    let product = publish_goods(
        &app,
        &seller,
        "The long guide",
        "A long text",
        "10",
        None,
        Goods::Text(content),
    )
    .await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (order, _, p) = pay_with(&app, &buyer, &coins, "BTC").await;
    assert_eq!(app.report(&p, "finished").await, 200);
    let last_line = &content[content.len() - 30..];
    app.tg.wait_for_text(buyer.id, last_line).await;
    assert_whole(&texts_to(&app, buyer.id), content);
    // The worker records a message sent just after Telegram accepted it: give it that moment.
    let unsent = format!(
        "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND chat_id = {}",
        buyer.id
    );
    for _ in 0..50 {
        if app.scalar(&unsent).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.scalar(&unsent).await, 0, "nothing left unsent");

    // Again from /purchases.
    let before = app.tg.calls().len();
    app.tg.press(&buyer, &format!("dl:{order}"), 1);
    app.tg
        .wait_for("the text again", |c| {
            c.chat_id() == Some(buyer.id) && c.text().is_some_and(|t| t.contains(last_line))
        })
        .await;
    let again: String = app.tg.calls()[before..]
        .iter()
        .filter(|c| c.method == "sendMessage" && c.chat_id() == Some(buyer.id))
        .filter_map(|c| c.text().map(str::to_string))
        .collect();
    assert_whole(&again, content);
    app.stop().await;
}
