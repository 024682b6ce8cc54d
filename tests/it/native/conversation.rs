//! The conversation around the shop: flows that end when the user moves on, an apology when a
//! handler fails, command menus and /help, /paysupport relayed both ways.

use crate::support::app::spawn_app;
use crate::support::fake_telegram::TgUser;
use crate::support::flows::publish;

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

    // An admin who switches to French gets their menu in French.
    app.tg.send_text(&admin, "/language");
    let choose = app.tg.wait_for_text(admin.id, "Choose your language").await;
    app.tg.press_button(&admin, &choose, "Français");
    app.tg.wait_for_text(admin.id, "Langue").await;
    let scope = format!("chat:{}", admin.id);
    let stats = app
        .tg
        .command_description(&scope, "", "stats")
        .unwrap_or_default();
    assert!(stats.starts_with("Chiffres des ventes"), "{stats}");
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
