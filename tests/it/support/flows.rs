//! Steps of a user's story, driven only through the fake Telegram and NOWPayments.

use super::app::TestApp;
use super::fake_nowpayments::FakeNowPayments;
use super::fake_nowpayments::FakePayment;
use super::fake_telegram::FakeTelegram;
use super::fake_telegram::{Call, TgUser};

/// A shop the story runs against: its fake Telegram and NOWPayments (an in-process app, or
/// `souk` processes sharing them).
pub trait Shop {
    fn tg(&self) -> &FakeTelegram;
    fn np(&self) -> &FakeNowPayments;
}

impl Shop for TestApp {
    fn tg(&self) -> &FakeTelegram {
        &self.tg
    }
    fn np(&self) -> &FakeNowPayments {
        &self.np
    }
}

/// What a product delivers, as a seller gives it in /sell.
pub enum Goods<'a> {
    File(&'a str),
    Items(&'a str),
    Text(&'a str),
}

/// A seller runs /sell to the end and presses Publish. Returns the product id from the deep link.
pub async fn publish(
    app: &impl Shop,
    seller: &TgUser,
    title: &str,
    price: &str,
    file_id: &str,
) -> i64 {
    publish_goods(
        app,
        seller,
        title,
        "Everything you need, in one PDF.",
        price,
        None,
        Goods::File(file_id),
    )
    .await
}

/// /sell up to the price: title, description and price answered; what follows (a category, the
/// kind of goods) is the caller's.
pub async fn sell_up_to_price(
    tg: &FakeTelegram,
    seller: &TgUser,
    title: &str,
    description: &str,
    price: &str,
) {
    tg.send_text(seller, "/sell");
    tg.wait_for_text(seller.id, "title").await;
    tg.send_text(seller, title);
    tg.wait_for_text(seller.id, "description").await;
    tg.send_text(seller, description);
    tg.wait_for_text(seller.id, "price in US dollars").await;
    tg.send_text(seller, price);
}

/// /sell's cover step, skipped: waits for the question, presses Skip.
pub async fn skip_cover(tg: &FakeTelegram, seller: &TgUser) {
    let ask = tg
        .wait_for_text(seller.id, "cover photo for the product")
        .await;
    tg.press_button(seller, &ask, "Skip");
}

/// /sell with every choice: description, category (label of its button, when categories exist)
/// and what buyers receive.
pub async fn publish_goods(
    app: &impl Shop,
    seller: &TgUser,
    title: &str,
    description: &str,
    price: &str,
    category: Option<&str>,
    goods: Goods<'_>,
) -> i64 {
    let tg = app.tg();
    sell_up_to_price(tg, seller, title, description, price).await;
    if let Some(category) = category {
        let ask = tg.wait_for_text(seller.id, "Which category").await;
        let data = ask
            .button_data(category)
            .unwrap_or_else(|| panic!("no {category} in {:?}", ask.buttons()));
        tg.press(seller, &data, ask.message_id().unwrap());
    }
    let kinds = tg.wait_for_text(seller.id, "What do buyers receive").await;
    let label = match goods {
        Goods::File(_) => "A file",
        Goods::Items(_) => "Unique items",
        Goods::Text(_) => "A text",
    };
    tg.press_button(seller, &kinds, label);
    match goods {
        Goods::File(file_id) => {
            tg.wait_for_text(seller.id, "send the file").await;
            let size = tg.registered_size(file_id).unwrap_or(123_456);
            tg.send_document(seller, file_id, "book.pdf", size);
        }
        Goods::Items(lines) => {
            tg.wait_for_text(seller.id, "one per line").await;
            tg.send_text(seller, lines);
        }
        Goods::Text(text) => {
            tg.wait_for_text(seller.id, "Send the text").await;
            tg.send_text(seller, text);
        }
    }
    skip_cover(tg, seller).await;
    let summary = tg.wait_for_text(seller.id, "Ready to publish").await;
    let publish = summary.button_data("Publish").expect("Publish button");
    tg.press(seller, &publish, summary.message_id().unwrap());
    let done = tg
        .wait_for_text(seller.id, "https://t.me/souk_test_bot?start=p_")
        .await;
    let text = done.text().unwrap();
    let id = text.rsplit("start=p_").next().unwrap();
    id.trim().parse().expect("product id in the deep link")
}

/// The buyer opens the product's deep link and presses Buy. Returns the coin keyboard message.
pub async fn open_currencies(app: &impl Shop, buyer: &TgUser, product_id: i64) -> Call {
    let tg = app.tg();
    tg.send_text(buyer, &format!("/start p_{product_id}"));
    let card = tg
        .wait_for("product card", |c| {
            c.chat_id() == Some(buyer.id) && c.button_data("Buy").is_some()
        })
        .await;
    tg.press_button(buyer, &card, "Buy");
    tg.wait_for_text(buyer.id, "Choose how you want to pay")
        .await
}

/// The buyer picks `coin_label` (e.g. "BTC"). Returns the order id, the payment photo, and the
/// payment the fake NOWPayments created.
pub async fn pay_with(
    app: &impl Shop,
    buyer: &TgUser,
    coins: &Call,
    coin_label: &str,
) -> (i64, Call, FakePayment) {
    let tg = app.tg();
    let data = coins
        .button_data(coin_label)
        .unwrap_or_else(|| panic!("no {coin_label} button in {:?}", coins.buttons()));
    tg.press(buyer, &data, coins.message_id().unwrap());
    let photo = tg
        .wait_for("payment photo", |c| {
            c.method == "sendPhoto" && c.chat_id() == Some(buyer.id)
        })
        .await;
    let caption = photo.text().unwrap();
    let order_id: i64 = caption
        .split("Order #")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("order id in caption {caption:?}"));
    let payment = app
        .np()
        .payments()
        .into_iter()
        .find(|p| p.order_id.as_deref() == Some(&order_id.to_string()))
        .expect("NOWPayments got the payment");
    (order_id, photo, payment)
}

/// Publish a $25 product and get a buyer to the BTC payment message.
pub async fn buyer_at_payment(
    app: &impl Shop,
    seller: &TgUser,
    buyer: &TgUser,
) -> (i64, Call, FakePayment) {
    let product = publish(app, seller, "Rust in Action", "25", "BQACAgIAAxkBAAIBook").await;
    let coins = open_currencies(app, buyer, product).await;
    pay_with(app, buyer, &coins, "BTC").await
}

/// The seller publishes a $25 file; each buyer opens it and picks BTC. Returns their payments.
pub async fn buyers_at_payment(
    app: &impl Shop,
    seller: &TgUser,
    file_id: &str,
    buyers: &[TgUser],
) -> Vec<FakePayment> {
    let product = publish(app, seller, "The guide", "25", file_id).await;
    let mut payments = Vec::new();
    for buyer in buyers {
        let coins = open_currencies(app, buyer, product).await;
        payments.push(pay_with(app, buyer, &coins, "BTC").await.2);
    }
    payments
}

/// A sendDocument to `chat` with `file_id`.
pub fn is_delivery(c: &Call, chat: i64, file_id: &str) -> bool {
    c.method == "sendDocument"
        && c.chat_id() == Some(chat)
        && c.str_param("document") == Some(file_id)
}

/// How many times `file_id` reached `buyer`.
pub fn deliveries(app: &impl Shop, buyer: &TgUser, file_id: &str) -> usize {
    app.tg()
        .calls()
        .iter()
        .filter(|c| is_delivery(c, buyer.id, file_id))
        .count()
}
