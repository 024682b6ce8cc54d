//! Buying: one purchase from /start to the file, cancelling, French amounts, /purchases.

use super::sent_to;
use crate::support::app::spawn_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{is_delivery, publish};

#[tokio::test]
async fn a_crypto_purchase_leaves_four_bot_messages_and_closes_its_payment_message() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(8001, "en"), TgUser::new(8002, "en"));
    let title = "Guide <b>& co";
    let file = "BQACAgNative";
    publish(&app, &seller, title, "25.70", file).await;
    let before = app.tg.calls().len();

    // /start, Browse, the product, Buy: one message, edited at each step.
    app.tg.send_text(&buyer, "/start");
    let welcome = app.tg.wait_for_text(buyer.id, "Welcome").await;
    app.tg.press_button(&buyer, &welcome, "Browse");
    let list = app.tg.wait_for_text(buyer.id, "Products (page 1)").await;
    assert_eq!(list.method, "editMessageText");
    assert_eq!(list.message_id(), welcome.message_id());
    app.tg.press_button(&buyer, &list, "Guide");
    let card = app
        .tg
        .wait_for_text(buyer.id, "with the platform fee")
        .await;
    assert_eq!(card.method, "editMessageText");
    let shown = card.text().unwrap();
    assert!(
        shown.starts_with(title),
        "the title shows literally: {shown}"
    );
    assert_eq!(card.entity_texts("bold"), [title, "$26.41"]);
    assert!(shown.contains("You receive a file: book.pdf ("), "{shown}");
    assert!(card.button_data("Back").is_some(), "{:?}", card.buttons());
    app.tg.press_button(&buyer, &card, "Buy");
    let coins = app.tg.wait_for_text(buyer.id, "Choose how").await;
    assert_eq!(
        (coins.method.as_str(), coins.message_id()),
        ("editMessageText", welcome.message_id())
    );

    // The payment message replaces the menu of coins; its address and amount copy with a tap.
    app.tg.press_button(&buyer, &coins, "BTC");
    let photo = app
        .tg
        .wait_for("payment photo", |c| {
            c.method == "sendPhoto" && c.chat_id() == Some(buyer.id)
        })
        .await;
    app.tg
        .wait_for("the menu of coins deleted", |c| {
            c.method == "deleteMessage" && c.ok && c.chat_id() == Some(buyer.id)
        })
        .await;
    let payment = app.np.payments().pop().expect("a payment was created");
    let code = photo.entity_texts("code");
    assert_eq!(
        code,
        [payment.pay_amount.clone(), payment.pay_address.clone()]
    );
    assert_eq!(
        photo.button_data("Copy address").as_deref(),
        Some(payment.pay_address.as_str())
    );
    let caption = photo.text().unwrap();
    assert!(caption.contains("Expires in"), "{caption}");
    assert!(caption.contains("Your file is sent here"), "{caption}");

    app.report(&payment, "confirming").await;
    app.tg.wait_for_text(buyer.id, "detected").await;
    app.report(&payment, "finished").await;
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, file))
        .await;
    // The seller has no payout wallet: the sale message says how to be paid.
    app.tg
        .wait_for_text(seller.id, "Set your payout wallet with /wallet")
        .await;
    let closed = app.tg.wait_for_text(buyer.id, "Payment received").await;
    assert_eq!(
        (closed.method.as_str(), closed.message_id()),
        ("editMessageMedia", photo.message_id())
    );
    assert!(closed.buttons().is_empty(), "{:?}", closed.buttons());
    let picture = |c: &crate::support::fake_telegram::Call| c.result["photo"][0]["file_id"].clone();
    assert_ne!(picture(&closed), picture(&photo), "the QR code is gone");

    let calls = app.tg.calls()[before..].to_vec();
    let sent = sent_to(&calls, buyer.id);
    assert!(sent.len() <= 4, "at most 4 new messages: {sent:#?}");
    app.stop().await;
}

#[tokio::test]
async fn cancelling_closes_the_payment_message_and_its_stale_buttons_answer_with_a_toast() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(8011, "en"), TgUser::new(8012, "en"));
    let (order, photo, _) = crate::support::flows::buyer_at_payment(&app, &seller, &buyer).await;
    app.tg.press_button(&buyer, &photo, "Cancel");
    let closed = app.tg.wait_for_text(buyer.id, "Order cancelled").await;
    assert_eq!(closed.method, "editMessageMedia");
    assert!(closed.buttons().is_empty());
    assert_eq!(app.order_status(order).await, "cancelled");

    // The old buttons, pressed again (a client that did not refresh): a toast, no message.
    let before = app.tg.calls().len();
    app.tg.press_button(&buyer, &photo, "Cancel");
    app.tg
        .wait_for("a toast", |c| {
            c.method == "answerCallbackQuery"
                && c.text()
                    .is_some_and(|t| t.contains("can no longer be cancelled"))
        })
        .await;
    let calls = app.tg.calls()[before..].to_vec();
    assert!(sent_to(&calls, buyer.id).is_empty(), "{calls:#?}");
    app.stop().await;
}

#[tokio::test]
async fn a_french_buyer_reads_french_amounts_and_plurals_that_agree() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(8021, "en"), TgUser::new(8022, "fr"));
    let one = crate::support::flows::publish_goods(
        &app,
        &seller,
        "Clé unique",
        "Une clé de licence.",
        "25.70",
        None,
        crate::support::flows::Goods::Items("CLE-A"),
    )
    .await;
    let two = crate::support::flows::publish_goods(
        &app,
        &seller,
        "Deux clés",
        "Des clés de licence.",
        "1234",
        None,
        crate::support::flows::Goods::Items("CLE-B\nCLE-C"),
    )
    .await;
    app.tg.send_text(&buyer, &format!("/start p_{one}"));
    let card = app.tg.wait_for_text(buyer.id, "Clé unique").await;
    let text = card.text().unwrap();
    // The price the buyer pays: $25.70 and the 2.78% fee.
    assert!(text.contains("Prix\u{a0}: 26,41\u{202f}$"), "{text}");
    assert!(text.contains("0 vente\n"), "{text}");
    assert!(
        text.contains("1 restant") && !text.contains("restants"),
        "{text}"
    );
    app.tg.send_text(&buyer, &format!("/start p_{two}"));
    let card = app.tg.wait_for_text(buyer.id, "Deux clés").await;
    let text = card.text().unwrap();
    assert!(text.contains("1\u{202f}268,31\u{202f}$"), "{text}");
    assert!(text.contains("2 restants"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn purchases_page_through_every_purchase_in_place() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(8081, "en"), TgUser::new(8082, "en"));
    let product = publish(&app, &seller, "Weekly issue", "10", "BQACAgWeekly").await;
    for _ in 0..11 {
        let coins = crate::support::flows::open_currencies(&app, &buyer, product).await;
        let (_, _, payment) = crate::support::flows::pay_with(&app, &buyer, &coins, "BTC").await;
        app.report(&payment, "finished").await;
        app.tg
            .wait_for("the issue", |c| is_delivery(c, buyer.id, "BQACAgWeekly"))
            .await;
    }
    app.tg.send_text(&buyer, "/purchases");
    let first = app
        .tg
        .wait_for_text(buyer.id, "Your purchases, page 1")
        .await;
    let labels: Vec<String> = first.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(labels.len(), 11, "10 purchases and Next: {labels:?}");
    assert_eq!(labels[10], "Next ▶");
    app.tg.press_button(&buyer, &first, "Next");
    let second = app
        .tg
        .wait_for_text(buyer.id, "Your purchases, page 2")
        .await;
    assert_eq!(second.method, "editMessageText");
    let labels: Vec<String> = second.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(labels, ["#1 Weekly issue", "◀ Previous"]);
    app.stop().await;
}

#[tokio::test]
async fn a_payment_settled_before_its_message_was_stored_still_closes_the_message() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(8031, "en"), TgUser::new(8032, "en"));
    let product = publish(&app, &seller, "Quick guide", "25", "BQACAgQuick").await;
    let coins = crate::support::flows::open_currencies(&app, &buyer, product).await;
    // Telegram is slow to answer the payment message; the payment settles meanwhile.
    app.tg
        .delay_next("sendPhoto", std::time::Duration::from_millis(1500));
    app.tg.press_button(&buyer, &coins, "BTC");
    let payment = loop {
        if let Some(p) = app.np.payments().pop() {
            break p;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    app.report(&payment, "finished").await;
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, "BQACAgQuick"))
        .await;
    let photo = app
        .tg
        .wait_for("the payment message", |c| {
            c.method == "sendPhoto" && c.chat_id() == Some(buyer.id)
        })
        .await;
    let closed = app.tg.wait_for_text(buyer.id, "Payment received").await;
    assert_eq!(closed.message_id(), photo.message_id());
    assert!(closed.buttons().is_empty());
    app.stop().await;
}
