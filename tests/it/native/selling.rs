//! Selling: the publish summary, /myproducts in place, categories that page.

use crate::support::app::spawn_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{publish, sell_up_to_price};

#[tokio::test]
async fn the_publish_summary_shows_what_buyers_pay_what_the_seller_earns_and_duplicates_skipped() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(8091, "en");
    sell_up_to_price(
        &app.tg,
        &seller,
        "Game keys",
        "Steam keys, one per buyer.",
        "10.50",
    )
    .await;
    let kinds = app
        .tg
        .wait_for_text(seller.id, "What do buyers receive")
        .await;
    app.tg.press_button(&seller, &kinds, "Unique items");
    app.tg.wait_for_text(seller.id, "one per line").await;
    app.tg.send_text(&seller, "K-1\nK-2\nK-1\nK-3\nK-2");
    app.tg
        .wait_for_text(seller.id, "2 duplicates skipped")
        .await;
    crate::support::flows::skip_cover(&app.tg, &seller).await;
    let summary = app.tg.wait_for_text(seller.id, "Ready to publish").await;
    let text = summary.text().unwrap();
    assert!(text.contains("buyers pay $10.79"), "{text}");
    assert!(text.contains("you earn $10.50 a sale"), "{text}");
    assert!(text.contains("3 unique items"), "{text}");
    assert!(text.contains("no payout wallet yet"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn my_products_page_and_each_action_edits_the_card_in_place() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(8101, "en");
    for i in 1..=11 {
        publish(
            &app,
            &seller,
            &format!("Issue {i:02}"),
            "10",
            &format!("BQACAgIssue{i}"),
        )
        .await;
    }
    app.tg.send_text(&seller, "/myproducts");
    let list = app.tg.wait_for_text(seller.id, "Your products").await;
    let labels: Vec<String> = list.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(labels.len(), 11, "10 products and Next: {labels:?}");
    app.tg.press_button(&seller, &list, "Next");
    let second = app.tg.wait_for_text(seller.id, "Your products").await;
    assert_eq!(second.method, "editMessageText");
    assert!(
        second.button_data("Issue 01").is_some(),
        "{:?}",
        second.buttons()
    );
    app.tg.press_button(&seller, &second, "Issue 01");
    let card = app.tg.wait_for_text(seller.id, "Status: on sale").await;
    app.tg.press_button(&seller, &card, "Pause");
    let paused = app.tg.wait_for_text(seller.id, "Status: paused").await;
    assert_eq!(
        (paused.method.as_str(), paused.message_id()),
        ("editMessageText", list.message_id())
    );
    app.stop().await;
}

#[tokio::test]
async fn many_categories_page_instead_of_passing_telegrams_hundred_buttons() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(crate::support::app::ADMIN, "en");
    let (seller, buyer) = (TgUser::new(8111, "en"), TgUser::new(8112, "en"));
    for i in 1..=35 {
        app.tg
            .send_text(&admin, &format!("/category_add Shelf {i:02}"));
        app.tg
            .wait_for_text(admin.id, &format!("Shelf {i:02}"))
            .await;
    }
    app.tg.send_text(&buyer, "/browse");
    let first = app.tg.wait_for_text(buyer.id, "Categories").await;
    assert!(first.buttons().len() < 100);
    assert!(first.button_data("Shelf 30").is_some() && first.button_data("Shelf 31").is_none());
    app.tg.press_button(&buyer, &first, "Next");
    let second = app.tg.wait_for_text(buyer.id, "Categories").await;
    assert_eq!(second.method, "editMessageText");
    assert!(
        second.button_data("Shelf 35").is_some(),
        "{:?}",
        second.buttons()
    );

    sell_up_to_price(&app.tg, &seller, "Shelved", "On the last shelf.", "12").await;
    let ask = app.tg.wait_for_text(seller.id, "Which category").await;
    assert!(ask.button_data("Shelf 35").is_none());
    app.tg.press_button(&seller, &ask, "Next");
    let next = app.tg.wait_for_text(seller.id, "Which category").await;
    app.tg.press_button(&seller, &next, "Shelf 35");
    app.tg
        .wait_for_text(seller.id, "What do buyers receive")
        .await;
    app.stop().await;
}
