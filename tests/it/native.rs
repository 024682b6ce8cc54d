//! A chat that feels native to Telegram: pages edited in place, payment messages closed once
//! settled, user text shown literally, the address and amount tap-to-copy.

use crate::support::app::spawn_app;
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{is_delivery, publish};

/// What the bot sent to `chat` as new messages (edits and deletions aside).
fn sent_to(calls: &[Call], chat: i64) -> Vec<String> {
    const NEW: [&str; 5] = [
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendInvoice",
        "copyMessage",
    ];
    calls
        .iter()
        .filter(|c| c.ok && c.chat_id() == Some(chat) && NEW.contains(&c.method.as_str()))
        .map(|c| format!("{}: {}", c.method, c.text().unwrap_or_default()))
        .collect()
}

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
        ("editMessageCaption", photo.message_id())
    );
    assert!(closed.buttons().is_empty(), "{:?}", closed.buttons());

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
    assert_eq!(closed.method, "editMessageCaption");
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
async fn start_ends_an_open_sell_and_no_later_text_becomes_a_title() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(8031, "en");
    app.tg.send_text(&seller, "/sell");
    app.tg.wait_for_text(seller.id, "title").await;
    app.tg.send_text(&seller, "/start");
    app.tg.wait_for_text(seller.id, "Welcome").await;
    app.tg.send_text(&seller, "Not a title");
    app.tg
        .wait_for_text(seller.id, "I did not understand")
        .await;
    let asked_description = app.tg.count_texts(seller.id, "description");
    assert_eq!(asked_description, 0, "the text was not taken as a title");
    app.stop().await;
}

#[tokio::test]
async fn start_ends_the_phone_step_and_removes_its_keyboard() {
    let nexpay = crate::support::fake_nexpay::FakeNexpay::start().await;
    let mut app = crate::support::app::spawn_app_with(crate::support::app::Options {
        extra_env: nexpay.env(),
        ..Default::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(8041, "en"), TgUser::new(8042, "en"));
    let product = publish(&app, &seller, "Wave book", "25", "BQACAgWaveNative").await;
    let choices = crate::support::flows::open_currencies(&app, &buyer, product).await;
    app.tg.press_button(&buyer, &choices, "Wave");
    app.tg.wait_for_text(buyer.id, "Which phone number").await;
    app.tg.send_text(&buyer, "/start");
    let removed = app
        .tg
        .wait_for("the phone keyboard removed", |c| {
            c.chat_id() == Some(buyer.id)
                && c.param("reply_markup")
                    .is_some_and(|m| m.to_string().contains("remove_keyboard"))
        })
        .await;
    assert!(removed.ok);
    app.tg.wait_for_text(buyer.id, "Welcome").await;
    app.tg.send_text(&buyer, "+221771234567");
    app.tg.wait_for_text(buyer.id, "I did not understand").await;
    assert_eq!(app.tg.count_texts(buyer.id, "Paying from"), 0);
    app.stop().await;
}

#[tokio::test]
async fn a_failing_handler_answers_with_an_apology_in_the_users_language() {
    let mut app = spawn_app().await;
    let buyer = TgUser::new(8051, "fr");
    // Telegram refuses the first message of /help (a 400 the handler cannot recover from).
    app.tg
        .fail_next("sendMessage", 1, 400, "Bad Request: chat not found");
    app.tg.send_text(&buyer, "/help");
    app.tg
        .wait_for_text(buyer.id, "Un problème est survenu de notre côté")
        .await;
    app.stop().await;
}

#[tokio::test]
async fn admins_get_their_own_command_menu_and_help_section_and_everyone_gets_terms() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(crate::support::app::ADMIN, "en");
    let user = TgUser::new(8061, "fr");
    let everyone = |scope: &str, lang: &str| app.tg.command_menu(scope, lang);
    for _ in 0..100 {
        if !everyone(&format!("chat:{}", admin.id), "").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let admin_menu = everyone(&format!("chat:{}", admin.id), "");
    assert!(admin_menu.contains(&"stats".to_string()), "{admin_menu:?}");
    assert!(admin_menu.contains(&"browse".to_string()), "{admin_menu:?}");
    for lang in ["", "en", "fr"] {
        let menu = everyone("default", lang);
        assert!(menu.contains(&"terms".to_string()), "{lang}: {menu:?}");
        assert!(!menu.contains(&"stats".to_string()), "{lang}: {menu:?}");
    }
    let short = app.tg.description("short_description", "fr").unwrap();
    assert!(short.contains("numériques"), "{short}");

    app.tg.send_text(&admin, "/help");
    let help = app.tg.wait_for_text(admin.id, "Admin commands").await;
    assert!(help.text().unwrap().contains("/refund"));
    app.tg.send_text(&user, "/help");
    let help = app.tg.wait_for_text(user.id, "Commandes").await;
    let text = help.text().unwrap();
    assert!(
        text.contains("/terms") && !text.contains("/refund"),
        "{text}"
    );
    app.tg.send_text(&user, "/terms");
    app.tg.wait_for_text(user.id, "Conditions de vente").await;
    app.stop().await;
}

#[tokio::test]
async fn a_paysupport_question_and_its_answer_are_relayed_both_ways() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(crate::support::app::ADMIN, "en");
    let (seller, buyer) = (TgUser::new(8071, "en"), TgUser::new(8072, "en"));
    let (order, _, payment) = crate::support::flows::buyer_at_payment(&app, &seller, &buyer).await;
    app.report(&payment, "finished").await;
    app.tg.send_text(&buyer, "/paysupport");
    let list = app.tg.wait_for_text(buyer.id, "Pick the order").await;
    app.tg.press_button(&buyer, &list, &format!("#{order}"));
    app.tg
        .wait_for_text(buyer.id, "Write your question now")
        .await;
    let alert = app.tg.wait_for_text(admin.id, "Payment support").await;
    assert_eq!(
        alert
            .buttons()
            .iter()
            .map(|b| b.0.as_str())
            .collect::<Vec<_>>(),
        ["✍ Reply", "🔎 Open order", "↩ Refund", "✅ Mark paid"]
    );

    app.tg.send_text(&buyer, "The file does not open");
    app.tg.wait_for_text(buyer.id, "Sent to the admins").await;
    let question = app
        .tg
        .wait_for_text(admin.id, "The file does not open")
        .await;
    app.tg.press_button(&admin, &question, "Reply");
    app.tg.wait_for_text(admin.id, "Write your answer").await;
    app.tg.send_text(&admin, "Try another PDF reader");
    app.tg
        .wait_for_text(admin.id, "was sent to the buyer")
        .await;
    let answer = app
        .tg
        .wait_for_text(buyer.id, "Try another PDF reader")
        .await;
    assert!(answer.text().unwrap().starts_with("💬 Support's answer"));

    app.tg.press_button(&buyer, &answer, "Reply");
    app.tg.wait_for_text(buyer.id, "Write your message").await;
    app.tg.send_text(&buyer, "Thanks, it works");
    app.tg.wait_for_text(admin.id, "Thanks, it works").await;

    // The alert's Refund asks first.
    app.tg.press_button(&admin, &alert, "Refund");
    app.tg
        .wait_for_text(admin.id, &format!("Refund order #{order}"))
        .await;
    assert_eq!(app.order_status(order).await, "finished");
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
async fn the_publish_summary_shows_what_buyers_pay_what_the_seller_earns_and_duplicates_skipped() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(8091, "en");
    app.tg.send_text(&seller, "/sell");
    app.tg.wait_for_text(seller.id, "title").await;
    app.tg.send_text(&seller, "Game keys");
    app.tg.wait_for_text(seller.id, "description").await;
    app.tg.send_text(&seller, "Steam keys, one per buyer.");
    app.tg.wait_for_text(seller.id, "price in US dollars").await;
    app.tg.send_text(&seller, "10.50");
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

    app.tg.send_text(&seller, "/sell");
    app.tg.wait_for_text(seller.id, "title").await;
    app.tg.send_text(&seller, "Shelved");
    app.tg.wait_for_text(seller.id, "description").await;
    app.tg.send_text(&seller, "On the last shelf.");
    app.tg.wait_for_text(seller.id, "price in US dollars").await;
    app.tg.send_text(&seller, "12");
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
