//! Sandbox mode: with only a bot token, the built-in simulator completes a purchase end to end.

use crate::support::app::spawn_sandbox_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{is_delivery, open_currencies, publish};

#[tokio::test]
async fn with_only_a_token_a_buyer_completes_a_purchase_with_the_simulator() {
    let mut app = spawn_sandbox_app().await;
    let (seller, buyer) = (TgUser::new(4001, "en"), TgUser::new(4002, "en"));
    app.tg.send_text(&buyer, "/start");
    app.tg.wait_for_text(buyer.id, "Sandbox mode").await;
    let product = publish(&app, &seller, "Sandbox book", "10", "BQACAgSandbox").await;
    let coins = open_currencies(&app, &buyer, product).await;
    // In sandbox mode, the simulator stands in for NOWPayments: the fake got no payment.
    app.tg.press_button(&buyer, &coins, "BTC");
    let photo = app
        .tg
        .wait_for("payment photo", |c| {
            c.method == "sendPhoto" && c.chat_id() == Some(buyer.id)
        })
        .await;
    assert!(app.np.payments().is_empty());
    let caption = photo.text().unwrap();
    assert!(
        caption.contains("Sandbox") && caption.contains("10.28"),
        "{caption}"
    );
    app.tg.press_button(&buyer, &photo, "Simulate payment");
    app.tg.wait_for_text(buyer.id, "Payment detected").await;
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgSandbox"))
        .await;
    app.tg.wait_for_text(seller.id, "Sale!").await;
    app.stop().await;
}
