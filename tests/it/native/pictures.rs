//! Pictures: a cover photo added at /sell, shown on the card from the list to the payment, in
//! inline mode, and changed or removed in /myproducts.

use super::sent_to;
use crate::support::app::{Options, TestApp, spawn_app, spawn_app_with};
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{is_delivery, publish, sell_up_to_price};

/// /sell of a file product with a cover photo (a text refused first). Returns the product and
/// the cover's `file_id` (the largest size of the photo sent).
async fn publish_with_cover(
    app: &TestApp,
    seller: &TgUser,
    title: &str,
    file: &str,
) -> (i64, String) {
    sell_up_to_price(&app.tg, seller, title, "Recipes from the coast.", "25.70").await;
    let kinds = app
        .tg
        .wait_for_text(seller.id, "What do buyers receive")
        .await;
    app.tg.press_button(seller, &kinds, "A file");
    app.tg.wait_for_text(seller.id, "send the file").await;
    app.tg.send_document(seller, file, "book.pdf", 2_048);
    app.tg
        .wait_for_text(seller.id, "cover photo for the product")
        .await;
    app.tg.send_text(seller, "no photo today");
    app.tg
        .wait_for_text(seller.id, "(not a file), or tap Skip")
        .await;
    let (_, cover) = app.tg.send_photo(seller);
    let summary = app.tg.wait_for_text(seller.id, "Ready to publish").await;
    assert_eq!(summary.method, "sendPhoto", "the summary shows the cover");
    assert_eq!(summary.str_param("photo"), Some(cover.as_str()));
    assert!(summary.text().unwrap().contains("Cover photo: yes"));
    app.tg.press_button(seller, &summary, "Publish");
    let done = app.tg.wait_for_text(seller.id, "start=p_").await;
    let id = done.text().unwrap().rsplit("start=p_").next().unwrap();
    (id.trim().parse().unwrap(), cover)
}

fn is_photo_to(c: &Call, chat: i64, needle: &str) -> bool {
    c.ok && c.method == "sendPhoto"
        && c.chat_id() == Some(chat)
        && c.text().is_some_and(|t| t.contains(needle))
}

#[tokio::test]
async fn a_cover_shows_on_the_card_and_gives_its_place_to_the_payment_qr() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(8101, "en"), TgUser::new(8102, "en"));
    let file = "BQACAgCoverBook";
    let (product, cover) = publish_with_cover(&app, &seller, "Coast recipes", file).await;
    let stored: Option<String> = sqlx::query_scalar(&format!(
        "SELECT photo_file_id FROM products WHERE id = {product}"
    ))
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(
        stored.as_deref(),
        Some(cover.as_str()),
        "the largest size is kept"
    );
    let before = app.tg.calls().len();

    // The list is text: the card with its cover replaces it (a text cannot become a photo).
    app.tg.send_text(&buyer, "/start");
    let welcome = app.tg.wait_for_text(buyer.id, "Welcome").await;
    app.tg.press_button(&buyer, &welcome, "Browse");
    let list = app.tg.wait_for_text(buyer.id, "Products (page 1)").await;
    app.tg.press_button(&buyer, &list, "Coast recipes");
    let card = app
        .tg
        .wait_for("the card with its cover", |c| {
            is_photo_to(c, buyer.id, "Coast recipes")
        })
        .await;
    assert_eq!(card.str_param("photo"), Some(cover.as_str()));
    assert_eq!(card.entity_texts("bold")[0], "Coast recipes");
    app.tg
        .wait_for("the list deleted", |c| {
            c.method == "deleteMessage" && c.ok && c.message_id() == list.message_id()
        })
        .await;

    // Buy: the ways to pay become the cover's caption; a coin: the QR takes the cover's place.
    app.tg.press_button(&buyer, &card, "Buy");
    let coins = app.tg.wait_for_text(buyer.id, "Choose how").await;
    assert_eq!(
        (coins.method.as_str(), coins.message_id()),
        ("editMessageCaption", card.message_id())
    );
    app.tg.press_button(&buyer, &coins, "BTC");
    let payment_message = app
        .tg
        .wait_for("the QR in the cover's place", |c| {
            c.method == "editMessageMedia" && c.ok && c.message_id() == card.message_id()
        })
        .await;
    let payment = app.np.payments().pop().expect("a payment was created");
    assert_eq!(
        payment_message.entity_texts("code"),
        [payment.pay_amount.clone(), payment.pay_address.clone()]
    );
    let qr = payment_message.result["photo"][0]["file_id"]
        .as_str()
        .unwrap();
    assert_ne!(qr, cover, "the QR code, not the cover");

    app.report(&payment, "finished").await;
    app.tg
        .wait_for("the file", |c| is_delivery(c, buyer.id, file))
        .await;
    let closed = app.tg.wait_for_text(buyer.id, "Payment received").await;
    assert_eq!(closed.message_id(), card.message_id());
    assert!(closed.buttons().is_empty());

    // "Back" from a photo card: the list returns as text, the photo goes.
    app.tg.send_text(&buyer, &format!("/start p_{product}"));
    let card = app
        .tg
        .wait_for("the card again", |c| {
            is_photo_to(c, buyer.id, "Coast recipes")
        })
        .await;
    app.tg.press_button(&buyer, &card, "Back");
    app.tg.wait_for_text(buyer.id, "Products (page 1)").await;
    app.tg
        .wait_for("the card deleted", |c| {
            c.method == "deleteMessage" && c.ok && c.message_id() == card.message_id()
        })
        .await;

    let calls = app.tg.calls()[before..].to_vec();
    let sent: Vec<String> = sent_to(&calls, buyer.id);
    // Welcome, the card, the file, the payment notice; then the card and the list again.
    assert!(sent.len() <= 6, "{sent:#?}");
    app.stop().await;
}

#[tokio::test]
async fn inline_mode_offers_a_product_with_a_cover_as_its_photo() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(8111, "en"), TgUser::new(8112, "en"));
    let (product, cover) =
        publish_with_cover(&app, &seller, "Harbour guide", "BQACAgHarbour").await;
    app.tg.inline_query(&buyer, "harbour");
    let answer = app
        .tg
        .wait_for("inline answer", |c| c.method == "answerInlineQuery")
        .await;
    assert!(answer.ok, "{:?}", answer.result);
    let results = answer.param("results").unwrap().as_array().unwrap().clone();
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["type"], "photo");
    assert_eq!(results[0]["photo_file_id"], cover.as_str());
    let caption = results[0]["caption"].as_str().unwrap();
    assert!(caption.contains("Harbour guide"), "{caption}");
    let open = &results[0]["reply_markup"]["inline_keyboard"][0][0]["url"];
    assert_eq!(
        open.as_str(),
        Some(format!("https://t.me/souk_test_bot?start=p_{product}").as_str())
    );
    app.stop().await;
}

#[tokio::test]
async fn a_seller_adds_changes_and_removes_a_cover_in_my_products() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(8121, "en");
    let product = publish(&app, &seller, "Plain guide", "12", "BQACAgPlain").await;
    app.tg.send_text(&seller, "/myproducts");
    let list = app.tg.wait_for_text(seller.id, "Your products").await;
    app.tg.press_button(&seller, &list, "Plain guide");
    let manage = app.tg.wait_for_text(seller.id, "Kind: file").await;
    app.tg.press_button(&seller, &manage, "Cover photo");
    let ask = app.tg.wait_for_text(seller.id, "new cover photo").await;
    assert!(ask.buttons().is_empty(), "nothing to remove yet");
    app.tg
        .send_document(&seller, "BQACAgNotAPhoto", "cover.png", 500);
    app.tg
        .wait_for_text(seller.id, "as a photo, not as a file")
        .await;
    let (_, cover) = app.tg.send_photo(&seller);
    let card = app
        .tg
        .wait_for("the card with its new cover", |c| {
            is_photo_to(c, seller.id, "Saved")
        })
        .await;
    assert_eq!(card.str_param("photo"), Some(cover.as_str()));

    // Pausing edits the photo card in place.
    app.tg.press_button(&seller, &card, "Pause");
    let paused = app.tg.wait_for_text(seller.id, "Paused").await;
    assert_eq!(
        (paused.method.as_str(), paused.message_id()),
        ("editMessageMedia", card.message_id())
    );

    app.tg.press_button(&seller, &paused, "Cover photo");
    let ask = app.tg.wait_for_text(seller.id, "new cover photo").await;
    app.tg.press_button(&seller, &ask, "Remove the cover");
    let removed = app
        .tg
        .wait_for_text(seller.id, "cover photo is removed")
        .await;
    assert_eq!(
        (removed.method.as_str(), removed.message_id()),
        ("editMessageText", ask.message_id())
    );
    let stored: Option<String> = sqlx::query_scalar(&format!(
        "SELECT photo_file_id FROM products WHERE id = {product}"
    ))
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(stored, None);
    app.stop().await;
}

#[tokio::test]
async fn a_stars_invoice_shows_the_cover_souk_serves_at_its_public_url() {
    let mut app = spawn_app_with(Options {
        extra_env: vec![
            ("STARS_PER_USD", "75".into()),
            ("PUBLIC_URL", "https://shop.example/".into()),
        ],
        ..Options::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(8131, "en"), TgUser::new(8132, "en"));
    let (product, _) = publish_with_cover(&app, &seller, "Starry guide", "BQACAgStarry").await;
    let plain = publish(&app, &seller, "Plain", "12", "BQACAgPlainStars").await;
    let invoice = crate::stars::stars_invoice(&app, &buyer, product).await;
    let cover_url = format!("https://shop.example/covers/{product}");
    assert_eq!(invoice.str_param("photo_url"), Some(cover_url.as_str()));

    // What Telegram fetches there: the cover, read from Telegram by its file_id.
    let cover = app
        .http
        .get(app.url(&format!("/covers/{product}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cover.status(), 200);
    assert_eq!(cover.headers()["content-type"], "image/jpeg");
    assert_eq!(
        cover.bytes().await.unwrap().len(),
        54_321,
        "the largest size"
    );
    for (path, status) in [
        (format!("/covers/{plain}"), 404),
        ("/covers/999".to_string(), 404),
        ("/covers/abc".to_string(), 400),
    ] {
        let answer = app.http.get(app.url(&path)).send().await.unwrap();
        assert_eq!(answer.status(), status, "{path}");
    }
    // A product without a cover: an invoice without a picture.
    let invoice = crate::stars::stars_invoice(&app, &buyer, plain).await;
    assert_eq!(invoice.str_param("photo_url"), None);
    app.stop().await;
}
