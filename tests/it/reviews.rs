//! Reviews from verified buyers: the invitation after delivery, a rating and a comment once per
//! order (changed later), the seller's one answer, the card's average and reviews page, an
//! admin hiding one, a non-buyer refused, and the seller's profile.

use crate::support::app::{ADMIN, Options, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{is_delivery, open_currencies, pay_with, publish};

#[tokio::test]
async fn only_a_buyer_reviews_once_per_order_and_the_card_shows_it() {
    // Invited at once (the default waits an hour after the delivery).
    let mut app = spawn_app_with(Options {
        extra_env: vec![("REVIEW_INVITE_MINUTES", "0".into())],
        ..Options::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(15_001, "en"), TgUser::new(15_002, "en"));
    let admin = TgUser::new(ADMIN, "en");
    let product = publish(&app, &seller, "Bread book", "20", "BQACAgBread").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    app.tg
        .wait_for("the book", |c| is_delivery(c, buyer.id, "BQACAgBread"))
        .await;

    // The invitation comes after the goods (the minutely job), once: five stars on one row.
    assert_eq!(souk::jobs::invites::run(&app.store).await.unwrap(), 1);
    assert_eq!(souk::jobs::invites::run(&app.store).await.unwrap(), 0);
    let invite = app
        .tg
        .wait_for_text(buyer.id, "How was “Bread book”?")
        .await;
    let labels: Vec<String> = invite.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(labels, ["1★", "2★", "3★", "4★", "5★"]);
    app.tg.press_button(&buyer, &invite, "4★");
    app.tg.wait_for_text(buyer.id, "Thank you: ★★★★☆").await;
    app.tg.send_text(&buyer, "Clear and complete.");
    app.tg.wait_for_text(buyer.id, "Your review is saved").await;

    // Someone who did not buy it cannot review it.
    let stranger = TgUser::new(15_003, "en");
    app.tg.press(
        &stranger,
        &format!("rate:{order}:5"),
        invite.message_id().unwrap(),
    );
    app.tg
        .wait_for_text(stranger.id, "Only the buyer of a delivered order")
        .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM reviews").await, 1);
    assert_eq!(app.scalar("SELECT stars FROM reviews").await, 4);

    // The seller answers, once; the buyer is told.
    let note = app
        .tg
        .wait_for_text(seller.id, "New review on “Bread book”")
        .await;
    app.tg.press_button(&seller, &note, "Answer");
    app.tg.wait_for_text(seller.id, "Write your answer").await;
    app.tg.send_text(&seller, "Thank you, happy baking!");
    app.tg
        .wait_for_text(seller.id, "Your answer is saved")
        .await;
    app.tg
        .wait_for_text(buyer.id, "answered your review: Thank you, happy baking!")
        .await;
    app.tg.press_button(&seller, &note, "Answer");
    app.tg
        .wait_for_text(seller.id, "has an answer already")
        .await;

    // The buyer changes their rating: still one review.
    app.tg.press_button(&buyer, &invite, "2★");
    app.tg
        .wait_for_text(buyer.id, "Your rating is now ★★☆☆☆")
        .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM reviews").await, 1);
    assert_eq!(app.scalar("SELECT stars FROM reviews").await, 2);

    // The card shows the average; its reviews open from it.
    let reader = TgUser::new(15_004, "en");
    app.tg.send_text(&reader, &format!("/start p_{product}"));
    let card = app.tg.wait_for_text(reader.id, "⭐ 2.0 (1 review)").await;
    app.tg.press_button(&reader, &card, "Reviews (1)");
    let page = app
        .tg
        .wait_for_text(reader.id, "Reviews of Bread book")
        .await;
    let text = page.text().unwrap();
    assert!(text.contains("★★☆☆☆ Clear and complete."), "{text}");
    assert!(
        text.contains("↳ Seller: Thank you, happy baking!"),
        "{text}"
    );

    // The seller's profile, by its deep link and from the card.
    app.tg
        .send_text(&reader, &format!("/start s_{}", seller.id));
    let profile = app
        .tg
        .wait_for_text(reader.id, "1 product in the shop")
        .await;
    assert!(
        profile
            .text()
            .unwrap()
            .contains("⭐ 2.0 (1 review) · 1 sale")
    );
    assert!(
        profile.button_data("Bread book").is_some(),
        "{:?}",
        profile.buttons()
    );

    // Admins see a Hide button under each review; an admin hides it: gone from the card.
    let id = app.scalar("SELECT id FROM reviews").await;
    app.tg.send_text(&admin, &format!("/start p_{product}"));
    let card = app.tg.wait_for_text(ADMIN, "⭐ 2.0 (1 review)").await;
    app.tg.press_button(&admin, &card, "Reviews (1)");
    let page = app.tg.wait_for_text(ADMIN, "Reviews of Bread book").await;
    assert!(
        page.button_data(&format!("Hide #{id}")).is_some(),
        "{:?}",
        page.buttons()
    );
    assert!(
        app.tg
            .calls()
            .iter()
            .filter(|c| c.chat_id() == Some(reader.id))
            .all(|c| !c.buttons().iter().any(|(label, _)| label.contains("Hide"))),
        "buyers see no Hide button"
    );
    app.tg.send_text(&admin, &format!("/hide_review {id}"));
    app.tg.wait_for_text(ADMIN, "is hidden").await;
    app.tg.press_button(&admin, &page, &format!("Hide #{id}"));
    app.tg
        .wait_for_text(ADMIN, "Reviews of Bread book: none to show.")
        .await;
    app.tg.send_text(&reader, &format!("/start p_{product}"));
    let card = app.tg.wait_for_text(reader.id, "Bread book").await;
    let text = card.text().unwrap();
    assert!(!text.contains("⭐"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn by_default_the_invitation_waits_an_hour_after_the_sale() {
    let mut app = crate::support::app::spawn_app().await;
    let (seller, buyer) = (TgUser::new(15_101, "en"), TgUser::new(15_102, "en"));
    let product = publish(&app, &seller, "Soup book", "20", "BQACAgSoup").await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    app.tg
        .wait_for("the book", |c| is_delivery(c, buyer.id, "BQACAgSoup"))
        .await;
    assert_eq!(
        souk::jobs::invites::run(&app.store).await.unwrap(),
        0,
        "not yet"
    );
    // An hour later (the sale moved back in time), the job invites the buyer.
    sqlx::query("UPDATE ledger_entries SET created_at = created_at - 3601 WHERE reference = $1")
        .bind(format!("sale:{order}"))
        .execute(app.store.pool())
        .await
        .unwrap();
    assert_eq!(souk::jobs::invites::run(&app.store).await.unwrap(), 1);
    app.tg.wait_for_text(buyer.id, "How was “Soup book”?").await;
    app.stop().await;
}
