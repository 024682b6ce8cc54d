//! The Mini App in a real browser (issue 17): headless Chromium loads `/app` with Telegram's
//! stand-in, browses a category, searches with a French accent, opens a product and buys it
//! with Stars (`openInvoice` gets the link the fake Bot API made; the `successful_payment`
//! delivers in the chat and the page says so), then buys another in crypto (QR code and
//! address shown; after the IPN the page reads "Paid" without a reload). Screenshots of the
//! home, product and checkout pages, light and dark, land in `target/miniapp-screenshots/`.

use crate::miniapp::signed;
use crate::support::app::{Options, TestApp, spawn_app_with};
use crate::support::browser::{self, DARK, LIGHT, click, screenshot, until};
use crate::support::fake_telegram::{TgUser, token};
use crate::support::flows::{Goods, is_delivery, publish_goods};
use crate::support::process::on_postgres;
use fantoccini::Locator;

async fn shop() -> (TestApp, i64, i64, crate::support::fake_nexpay::FakeNexpay) {
    let nexpay = crate::support::fake_nexpay::FakeNexpay::start().await;
    let mut env = nexpay.env();
    env.push(("STARS_PER_USD", "75".into()));
    let app = spawn_app_with(Options {
        extra_env: env,
        ..Options::default()
    })
    .await;
    let admin = TgUser::new(crate::support::app::ADMIN, "en");
    app.tg.send_text(&admin, "/category_add Cuisine");
    app.tg.wait_for_text(admin.id, "Cuisine").await;
    let seller = TgUser::new(24_001, "en");
    let recipes = publish_goods(
        &app,
        &seller,
        "Recettes créoles",
        "Les classiques de la cuisine créole.",
        "12",
        Some("Cuisine"),
        Goods::File("BQACAgRecipes"),
    )
    .await;
    let guide = publish_goods(
        &app,
        &seller,
        "Field guide",
        "Birds of the Sahel.",
        "15",
        Some("Cuisine"),
        Goods::File("BQACAgGuide"),
    )
    .await;
    (app, recipes, guide, nexpay)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_browses_searches_and_pays_with_stars_and_crypto_in_the_app() {
    if on_postgres() {
        eprintln!("the browser proves the page, not the database: this runs in the SQLite suite");
        return;
    }
    let (mut app, recipes, guide, _nexpay) = shop().await;
    let buyer = TgUser::new(24_002, "en");
    let chrome = browser::open(&signed(&buyer, 0, token()), LIGHT).await;
    let c = &chrome.client;
    c.goto(&app.url("/app")).await.unwrap();
    until(
        c,
        "the newest products",
        "document.querySelectorAll('[data-product]').length == 2",
    )
    .await;
    screenshot(c, "home-light").await;

    // A category, then a search with a French accent.
    click(c, ".chip").await;
    until(
        c,
        "the category's products",
        "document.querySelector('h1') && document.querySelectorAll('[data-product]').length == 2",
    )
    .await;
    let search = c.find(Locator::Id("search")).await.unwrap();
    search.send_keys("créole").await.unwrap();
    until(
        c,
        "the search result",
        &format!("document.querySelectorAll('[data-product]').length == 1 && document.querySelector('[data-product=\"{recipes}\"]')"),
    )
    .await;

    // The product's page, then Stars: openInvoice gets the link the Bot API made.
    click(c, &format!("[data-product=\"{recipes}\"]")).await;
    until(
        c,
        "the way to pay in Stars",
        "document.querySelector('[data-code=\"xtr\"]')",
    )
    .await;
    screenshot(c, "product-light").await;
    c.find(Locator::Css("[data-code=\"xtr\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(c, "openInvoice", "window.__souk.invoices.length == 1").await;
    let opened = c
        .execute("return window.__souk.invoices[0];", vec![])
        .await
        .unwrap();
    let made = app
        .tg
        .calls()
        .into_iter()
        .find(|call| call.method == "createInvoiceLink")
        .expect("an invoice link");
    assert_eq!(opened, made.result);
    let payload = made.params["payload"].as_str().unwrap().to_string();
    let stars = made.params["prices"][0]["amount"].as_u64().unwrap() as u32;
    app.tg.pre_checkout(&buyer, &payload, stars);
    app.tg
        .successful_payment(&buyer, &payload, stars, "stxBROWSER1");
    c.execute("window.__souk.done && window.__souk.done('paid');", vec![])
        .await
        .unwrap();
    app.tg
        .wait_for("the file in the chat", |call| {
            is_delivery(call, buyer.id, "BQACAgRecipes")
        })
        .await;
    until(
        c,
        "the page saying paid",
        "document.getElementById('status').textContent.includes('Paid')",
    )
    .await;
    let delivered = |file: &'static str| {
        app.tg
            .calls()
            .iter()
            .filter(|call| is_delivery(call, buyer.id, file))
            .count()
    };
    assert_eq!(delivered("BQACAgRecipes"), 1, "the goods once");

    // Crypto: the QR code and the address; the IPN turns the page to paid without a reload.
    c.goto(&app.url("/app")).await.unwrap();
    until(
        c,
        "the home page",
        "document.querySelectorAll('[data-product]').length == 2",
    )
    .await;
    click(c, &format!("[data-product=\"{guide}\"]")).await;
    until(
        c,
        "the way to pay in BTC",
        "document.querySelector('[data-code=\"btc\"]')",
    )
    .await;
    c.find(Locator::Css("[data-code=\"btc\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(
        c,
        "the QR code and the address",
        "document.querySelector('.box img') && document.getElementById('address')",
    )
    .await;
    screenshot(c, "checkout-light").await;
    let shown = c
        .execute(
            "return document.getElementById('address').textContent;",
            vec![],
        )
        .await
        .unwrap();
    let payment = app
        .np
        .payments()
        .into_iter()
        .last()
        .expect("a NOWPayments payment");
    assert_eq!(
        shown.as_str(),
        payment_address(&app, &payment.payment_id).await.as_deref()
    );
    app.report(&payment, "finished").await;
    until(
        c,
        "the page saying paid",
        "document.getElementById('status').textContent.includes('Paid')",
    )
    .await;
    app.tg
        .wait_for("the second file", |call| {
            is_delivery(call, buyer.id, "BQACAgGuide")
        })
        .await;
    app.report(&payment, "finished").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        delivered("BQACAgGuide"),
        1,
        "a repeated IPN delivers nothing more"
    );
    // Mobile money: the number first, then the provider's page opens.
    c.goto(&app.url(&format!("/app?product={recipes}")))
        .await
        .unwrap();
    until(
        c,
        "Wave",
        "document.querySelector('[data-code=\"mm_wave\"]')",
    )
    .await;
    click(c, "[data-code=\"mm_wave\"]").await;
    until(c, "the phone field", "document.getElementById('phone')").await;
    c.find(Locator::Id("phone"))
        .await
        .unwrap()
        .send_keys("+221 77 123 45 67")
        .await
        .unwrap();
    click(c, "button.pay").await;
    until(c, "openLink", "window.__souk.links.length == 1").await;
    let opened = c
        .execute("return window.__souk.links[0];", vec![])
        .await
        .unwrap();
    assert!(
        opened
            .as_str()
            .is_some_and(|u| u.starts_with("https://pay.wave.com/")),
        "{opened}"
    );

    // My purchases: both, and the file sent again to the chat from there.
    click(c, "#nav-purchases").await;
    until(
        c,
        "the purchases",
        "document.querySelectorAll('[data-resend]').length == 2",
    )
    .await;
    click(c, "[data-resend]").await;
    until(
        c,
        "the file sent again",
        "document.body.innerText.includes('Sent: look in your chat')",
    )
    .await;
    drop(chrome);

    // The same pages in Telegram's dark theme.
    let dark = browser::open(&signed(&buyer, 0, token()), DARK).await;
    let c = &dark.client;
    c.goto(&app.url("/app")).await.unwrap();
    until(
        c,
        "the newest products",
        "document.querySelectorAll('[data-product]').length == 2",
    )
    .await;
    screenshot(c, "home-dark").await;
    // A card's "Open in the shop app" button opens the product's page directly.
    c.goto(&app.url(&format!("/app?product={guide}")))
        .await
        .unwrap();
    until(
        c,
        "the way to pay in BTC",
        "document.querySelector('[data-code=\"btc\"]')",
    )
    .await;
    screenshot(c, "product-dark").await;
    c.find(Locator::Css("[data-code=\"btc\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(c, "the QR code", "document.querySelector('.box img')").await;
    screenshot(c, "checkout-dark").await;
    drop(dark);
    app.stop().await;
}

async fn payment_address(app: &TestApp, payment_id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT pay_address FROM orders WHERE payment_id = $1")
        .bind(payment_id)
        .fetch_optional(app.store.pool())
        .await
        .unwrap()
}
