//! Deliveries keep flowing to healthy chats while Telegram fails for one: teloxide waits 10 s
//! after any 5xx before it returns the error, and that wait holds up only the failing chat. A 5xx
//! is retried as it is, never taken for a refused `file_id`.

use crate::support::app::spawn_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{deliveries, is_delivery, open_currencies, pay_with, publish};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_telegram_fails_for_holds_up_no_other_delivery() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(12_901, "en");
    let troubled = TgUser::new(12_902, "en");
    let healthy: Vec<TgUser> = (0..3).map(|i| TgUser::new(12_903 + i, "en")).collect();
    let product = publish(&app, &seller, "Flowing", "25", "BQACAgFlowing").await;
    let mut bodies = Vec::new();
    for buyer in std::iter::once(&troubled).chain(&healthy) {
        let coins = open_currencies(&app, buyer, product).await;
        let (_, _, payment) = pay_with(&app, buyer, &coins, "BTC").await;
        bodies.push(
            app.np
                .ipn_body(&payment.payment_id, "finished", &payment.pay_amount),
        );
    }
    // Telegram answers 500 to the first buyer's next two sends.
    app.tg
        .fail_chat(troubled.id, 2, 500, "Internal Server Error: restart");
    for body in &bodies {
        assert_eq!(app.post_ipn(body).await, 200);
    }
    for buyer in &healthy {
        app.tg
            .wait_for("a healthy chat's file", |c| {
                is_delivery(c, buyer.id, "BQACAgFlowing")
            })
            .await;
    }
    // The troubled chat gets its own file once Telegram recovers, not a stored copy.
    let delivered = |app: &crate::support::app::TestApp| {
        app.tg
            .calls()
            .iter()
            .filter(|c| c.ok && is_delivery(c, troubled.id, "BQACAgFlowing"))
            .count()
    };
    for _ in 0..400 {
        if delivered(&app) == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(delivered(&app), 1, "delivered once Telegram recovers");
    assert_eq!(
        deliveries(&app, &troubled, "BQACAgFlowing"),
        3,
        "two refused, one taken"
    );
    assert!(
        !app.tg
            .calls()
            .iter()
            .any(|c| c.chat_id() == Some(troubled.id)
                && c.text().is_some_and(|t| t.contains("download it"))),
        "a 5xx is not a refused file_id"
    );
    app.stop().await;
}
