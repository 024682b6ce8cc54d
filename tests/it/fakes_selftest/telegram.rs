//! The fake Bot API against a real teloxide `Bot`: calls, refusals, updates, polling, the Star
//! ledger.

use super::*;

#[tokio::test]
async fn teloxide_calls_are_answered_and_recorded() {
    let tg = FakeTelegram::start().await;
    let bot = bot_for(&tg);
    let alice = TgUser::new(1001, "en");

    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.user.id, UserId(BOT_ID as u64));
    assert_eq!(me.username(), "souk_test_bot");

    let keyboard = InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback("Buy 🛒", "buy:7"),
        InlineKeyboardButton::url("Site", "https://example.com".parse().unwrap()),
    ]]);
    let sent = bot
        .send_message(ChatId(alice.id), "<b>Hello</b> &amp; welcome")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .await
        .expect("sendMessage");
    assert_eq!(sent.text(), Some("Hello & welcome"));
    assert_eq!(sent.chat.id, ChatId(alice.id));

    let call = tg.wait_for_text(alice.id, "welcome").await;
    assert_eq!(call.method, "sendMessage");
    assert_eq!(call.token, "123:ABC");
    assert_eq!(call.message_id(), Some(sent.id.0));
    assert_eq!(
        call.buttons(),
        vec![
            ("Buy 🛒".to_owned(), "buy:7".to_owned()),
            ("Site".to_owned(), "https://example.com/".to_owned())
        ]
    );
    assert_eq!(call.button_data("Buy").as_deref(), Some("buy:7"));

    let photo = bot
        .send_photo(ChatId(alice.id), InputFile::memory(PNG).file_name("qr.png"))
        .caption("Pay here")
        .await
        .expect("sendPhoto");
    assert!(
        matches!(&photo.kind, MessageKind::Common(common) if matches!(common.media_kind, MediaKind::Photo(_)))
    );
    let call = tg.wait_for_text(alice.id, "Pay here").await;
    assert_eq!(call.method, "sendPhoto");
    assert_eq!(call.file("photo"), Some(PNG));
    assert_eq!(
        call.file_names,
        vec![("photo".to_owned(), "qr.png".to_owned())]
    );
    assert!(call.str_param("photo").unwrap().starts_with("attach://"));

    // A file id the bot has seen (a user sent it) can be sent back, as multipart without file parts.
    tg.send_document(&alice, "BQACAgIAAxkBAAIfile-1", "ebook.pdf", 12_345);
    let document = bot
        .send_document(
            ChatId(alice.id),
            InputFile::file_id("BQACAgIAAxkBAAIfile-1".into()),
        )
        .caption("Your file")
        .await
        .expect("sendDocument");
    let MessageKind::Common(common) = &document.kind else {
        panic!("not a common message: {document:?}")
    };
    let MediaKind::Document(media) = &common.media_kind else {
        panic!("not a document: {document:?}")
    };
    assert_eq!(media.document.file_name.as_deref(), Some("ebook.pdf"));
    let call = tg
        .wait_for("the document", |call| call.method == "sendDocument")
        .await;
    assert!(call.files.is_empty());
    assert_eq!(call.chat_id(), Some(alice.id));
    assert_eq!(
        call.str_param("chat_id"),
        Some("1001"),
        "multipart sends numbers as text"
    );

    // An unknown file id is refused, as Telegram does.
    let unknown = bot
        .send_document(ChatId(alice.id), InputFile::file_id("nope".into()))
        .await;
    assert!(
        matches!(unknown, Err(RequestError::Api(ApiError::WrongFileIdOrUrl))),
        "{unknown:?}"
    );

    let query_id = tg.press(&alice, "buy:7", sent.id.0);
    bot.answer_callback_query(CallbackQueryId(query_id.clone()))
        .await
        .expect("answerCallbackQuery");
    let call = tg
        .wait_for("the callback answer", |call| {
            call.method == "answerCallbackQuery"
        })
        .await;
    assert_eq!(call.str_param("callback_query_id"), Some(query_id.as_str()));

    let edited = bot
        .edit_message_text(ChatId(alice.id), sent.id, "Bought")
        .await
        .expect("editMessageText");
    assert_eq!(edited.text(), Some("Bought"));
    assert!(
        edited.reply_markup().is_none(),
        "an edit without reply_markup drops the keyboard"
    );
    let unchanged = bot
        .edit_message_text(ChatId(alice.id), sent.id, "Bought")
        .await;
    assert!(
        matches!(
            unchanged,
            Err(RequestError::Api(ApiError::MessageNotModified))
        ),
        "{unchanged:?}"
    );
    let on_photo = bot.edit_message_text(ChatId(alice.id), photo.id, "x").await;
    assert!(
        matches!(on_photo, Err(RequestError::Api(ApiError::Unknown(ref d))) if d.contains("no text")),
        "{on_photo:?}"
    );

    bot.delete_message(ChatId(alice.id), sent.id)
        .await
        .expect("deleteMessage");
    let again = bot.delete_message(ChatId(alice.id), sent.id).await;
    assert!(
        matches!(
            again,
            Err(RequestError::Api(ApiError::MessageToDeleteNotFound))
        ),
        "{again:?}"
    );

    bot.delete_webhook().await.expect("deleteWebhook");
    let sends = tg
        .calls_to(alice.id)
        .iter()
        .filter(|call| call.method.starts_with("send"))
        .count();
    assert_eq!(sends, 4);
}

#[tokio::test]
async fn telegram_refuses_what_the_real_api_refuses() {
    let tg = FakeTelegram::start().await;
    let bot = bot_for(&tg);

    let html = bot
        .send_message(ChatId(5), "price < 5 USD")
        .parse_mode(ParseMode::Html)
        .await;
    assert!(
        matches!(&html, Err(RequestError::Api(ApiError::CantParseEntities(d))) if d.contains("Unsupported start tag")),
        "{html:?}"
    );
    let markdown = bot
        .send_message(ChatId(5), "Total: 5.00")
        .parse_mode(ParseMode::MarkdownV2)
        .await;
    assert!(
        matches!(
            &markdown,
            Err(RequestError::Api(ApiError::CantParseEntities(_)))
        ),
        "{markdown:?}"
    );
    let long = bot.send_message(ChatId(5), "x".repeat(4097)).await;
    assert!(
        matches!(long, Err(RequestError::Api(ApiError::MessageIsTooLong))),
        "{long:?}"
    );
    let data = bot
        .send_message(ChatId(5), "hi")
        .reply_markup(InlineKeyboardMarkup::new([[
            InlineKeyboardButton::callback("b", "d".repeat(65)),
        ]]))
        .await;
    assert!(
        matches!(data, Err(RequestError::Api(ApiError::ButtonDataInvalid))),
        "{data:?}"
    );

    tg.fail_next("sendMessage", 1, 429, "Too Many Requests: retry after 1");
    let limited = bot.send_message(ChatId(5), "hi").await;
    assert!(
        matches!(limited, Err(RequestError::RetryAfter(_))),
        "{limited:?}"
    );
    tg.fail_next(
        "sendMessage",
        1,
        403,
        "Forbidden: bot was blocked by the user",
    );
    let blocked = bot.send_message(ChatId(5), "hi").await;
    assert!(
        matches!(blocked, Err(RequestError::Api(ApiError::BotBlocked))),
        "{blocked:?}"
    );
    bot.send_message(ChatId(5), "hi")
        .await
        .expect("the failures are used up");

    let failed = tg.calls().iter().filter(|call| !call.ok).count();
    assert_eq!(failed, 6);
    let delivered = tg.wait_for_text(5, "hi").await;
    assert!(delivered.ok, "wait_for_text skips refused calls");
}

#[tokio::test]
async fn injected_updates_deserialize_in_teloxide() {
    let tg = FakeTelegram::start().await;
    let bot = bot_for(&tg);
    let bob = TgUser::new(2002, "fr");

    let start = tg.send_text(&bob, "/start ref_42");
    tg.send_document(&bob, "BQACAgIAAxkBAAIdoc", "pack.zip", 2048);
    tg.send_photo(&bob);
    let query_id = tg.press(&bob, "menu:shop", 77);
    tg.pre_checkout(&bob, "order-9", 250);
    tg.successful_payment(&bob, "order-9", 250, "charge-1");

    let updates = bot.get_updates().await.expect("getUpdates");
    assert_eq!(updates.len(), 6);
    for update in &updates {
        assert!(
            !matches!(update.kind, UpdateKind::Error(_)),
            "teloxide could not parse {update:?}"
        );
    }
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!("{:?}", updates[0])
    };
    assert_eq!(message.id, MessageId(start));
    assert_eq!(message.text(), Some("/start ref_42"));
    assert_eq!(
        message.from.as_ref().unwrap().language_code.as_deref(),
        Some("fr")
    );
    let UpdateKind::Message(message) = &updates[1].kind else {
        panic!("{:?}", updates[1])
    };
    assert_eq!(
        message.document().unwrap().file_name.as_deref(),
        Some("pack.zip")
    );
    let UpdateKind::Message(message) = &updates[2].kind else {
        panic!("{:?}", updates[2])
    };
    assert!(message.photo().is_some() && message.document().is_none());
    let UpdateKind::CallbackQuery(query) = &updates[3].kind else {
        panic!("{:?}", updates[3])
    };
    assert_eq!(query.id.0, query_id);
    assert_eq!(query.data.as_deref(), Some("menu:shop"));
    assert_eq!(query.message.as_ref().unwrap().id(), MessageId(77));
    assert!(matches!(updates[4].kind, UpdateKind::PreCheckoutQuery(_)));
    let UpdateKind::Message(message) = &updates[5].kind else {
        panic!("{:?}", updates[5])
    };
    assert_eq!(
        message.successful_payment().unwrap().invoice_payload,
        "order-9"
    );

    // The pressed message now exists, so the bot may edit it.
    bot.edit_message_text(ChatId(bob.id), MessageId(77), "Shop")
        .await
        .expect("edit the pressed message");

    // The document the user sent can be fetched and downloaded.
    let file = bot
        .get_file("BQACAgIAAxkBAAIdoc".into())
        .await
        .expect("getFile");
    let url = format!("{}file/bot123:ABC/{}", tg.api_url(), file.path);
    let bytes = reqwest::get(url).await.unwrap().bytes().await.unwrap();
    assert_eq!(bytes.len(), 2048);

    // An offset acknowledges; a long poll with nothing queued comes back empty within about a second.
    let last = updates.last().unwrap().id.0;
    let started = Instant::now();
    let rest = bot
        .get_updates()
        .offset(last as i32 + 1)
        .timeout(5)
        .await
        .expect("long poll");
    assert!(rest.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the long poll took {:?}",
        started.elapsed()
    );

    // An update queued during a long poll ends it at once.
    let poller = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().offset(last as i32 + 1).timeout(5).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    tg.send_text(&bob, "hello");
    let woken = poller.await.unwrap().expect("long poll");
    assert_eq!(woken.len(), 1);

    // Like Telegram, update kinds outside `allowed_updates` are never delivered.
    let next = woken[0].id.0 as i32 + 1;
    tg.press(&bob, "menu:shop", 77);
    tg.send_text(&bob, "only this");
    let only = bot
        .get_updates()
        .offset(next)
        .allowed_updates([AllowedUpdate::Message])
        .await
        .expect("getUpdates");
    assert_eq!(only.len(), 1);
    assert!(
        matches!(&only[0].kind, UpdateKind::Message(message) if message.text() == Some("only this"))
    );
}

#[tokio::test]
async fn a_polling_dispatcher_receives_updates_and_replies() {
    let tg = FakeTelegram::start().await;
    let handler = Update::filter_message().endpoint(|bot: Bot, message: Message| async move {
        bot.send_message(
            message.chat.id,
            format!("echo: {}", message.text().unwrap_or_default()),
        )
        .await?;
        respond(())
    });
    let mut dispatcher = Dispatcher::builder(bot_for(&tg), handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    let carol = TgUser::new(3003, "en");
    tg.send_text(&carol, "/start");
    tg.wait_for_text(carol.id, "echo: /start").await;
    tg.send_text(&carol, "again");
    tg.wait_for_text(carol.id, "echo: again").await;

    tokio::time::timeout(Duration::from_secs(5), async {
        while shutdown.shutdown().is_err() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        running.await.unwrap();
    })
    .await
    .expect("the dispatcher stops within a long poll");
    let echoes = tg
        .calls_to(carol.id)
        .iter()
        .filter(|call| call.method == "sendMessage")
        .count();
    assert_eq!(echoes, 2, "each update is handled once");
}

#[tokio::test]
async fn wait_for_consumes_calls_one_by_one() {
    let tg = FakeTelegram::start().await;
    let bot = bot_for(&tg);
    bot.send_message(ChatId(9), "same").await.unwrap();
    bot.send_message(ChatId(9), "same").await.unwrap();
    let first = tg.wait_for_text(9, "same").await;
    let second = tg.wait_for_text(9, "same").await;
    assert_ne!(first.message_id(), second.message_id());
    tg.assert_no_call("a third message", Duration::from_millis(100), |call| {
        call.method == "sendMessage"
    })
    .await;

    bot.send_message(ChatId(9), "late").await.unwrap();
    let outcome = tokio::spawn({
        let tg = tg.clone();
        async move {
            tg.assert_no_call("a late message", Duration::from_millis(50), |call| {
                call.method == "sendMessage"
            })
            .await
        }
    })
    .await;
    assert!(
        outcome.is_err(),
        "assert_no_call must panic on an unconsumed match"
    );
}

#[tokio::test]
async fn the_star_ledger_lists_charges_and_refunds_as_teloxide_reads_them() {
    use teloxide::payloads::GetStarTransactionsSetters;
    use teloxide::types::{TelegramTransactionId, TransactionPartner, UserId};
    let tg = FakeTelegram::start().await;
    let bot = bot_for(&tg);
    let buyer = crate::support::fake_telegram::TgUser::new(77, "en");
    tg.successful_payment_lost(&buyer, "souk-order-1", 50, "stx1");
    tg.successful_payment_lost(&buyer, "souk-order-2", 60, "stx2");
    bot.refund_star_payment(UserId(77), TelegramTransactionId("stx1".into()))
        .await
        .unwrap();
    let all = bot.get_star_transactions().await.unwrap().transactions;
    assert_eq!(all.len(), 3);
    assert!(matches!(&all[0].source, Some(TransactionPartner::User(_))));
    assert_eq!((all[2].id.0.as_str(), all[2].amount), ("stx1", 50));
    assert!(
        all[2].source.is_none() && all[2].receiver.is_some(),
        "a refund goes out"
    );
    let page = bot
        .get_star_transactions()
        .offset(1)
        .limit(1)
        .await
        .unwrap();
    assert_eq!(page.transactions[0].id.0, "stx2");
    let refused = bot.get_star_transactions().limit(101).await;
    assert!(refused.is_err(), "{refused:?}");
}
