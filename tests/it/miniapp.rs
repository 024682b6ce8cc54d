//! The Mini App's API (issue 17): every call signed in by Telegram's `initData`; bad, foreign,
//! expired or missing data answered 401 and changes nothing; banned users refused; the
//! catalogue, search (accents folded) and product pages read the shop as the chat does.

use crate::support::app::{ADMIN, TestApp, spawn_app};
use crate::support::fake_telegram::{TgUser, token};
use crate::support::flows::publish;
use reqwest::StatusCode;
use serde_json::Value;
use souk::miniapp::init_data;

/// `initData` as Telegram signs it for `user`, `age` seconds ago, with `bot_token`.
pub(crate) fn signed(user: &TgUser, age: i64, bot_token: &str) -> String {
    let json = serde_json::json!({
        "id": user.id, "first_name": user.first_name, "username": user.username,
        "language_code": user.language_code,
    });
    init_data::sign(
        &[
            ("auth_date", (souk::store::now() - age).to_string()),
            ("query_id", "AAHdF6IQAAAAAN0XohDhrOrc".into()),
            ("user", json.to_string()),
        ],
        bot_token,
    )
}

pub(crate) async fn call(
    app: &TestApp,
    path: &str,
    init_data: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = app.http.get(app.url(path));
    if let Some(data) = init_data {
        req = req.header("authorization", format!("tma {data}"));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn calls_without_valid_init_data_are_refused_and_change_nothing() {
    let mut app = spawn_app().await;
    let visitor = TgUser::new(23_001, "fr");
    let users = "SELECT COUNT(*) FROM users WHERE id = 23001";
    for (what, data) in [
        ("missing", None),
        ("empty", Some(String::new())),
        ("expired", Some(signed(&visitor, 2 * 86_400, token()))),
        (
            "another bot's",
            Some(signed(
                &visitor,
                0,
                "999999:AAAnotherBotsTokenXXXXXXXXXXXXXXXXX",
            )),
        ),
        (
            "tampered",
            Some(signed(&visitor, 0, token()).replace("23001", "23002")),
        ),
    ] {
        let (status, body) = call(&app, "/api/app/me", data.as_deref()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {body}");
        assert!(!body.to_string().contains(token()), "no secret in {body}");
    }
    assert_eq!(app.scalar(users).await, 0, "nothing recorded");

    // Signed by Telegram: the user is who the data says, in their app's language.
    let (status, me) = call(&app, "/api/app/me", Some(&signed(&visitor, 60, token()))).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["id"], 23_001);
    assert_eq!(me["language"], "fr");
    assert_eq!(app.scalar(users).await, 1);

    // A banned user is refused.
    let admin = TgUser::new(ADMIN, "en");
    app.tg.send_text(&admin, "/ban 23001");
    app.tg.wait_for_text(ADMIN, "is banned").await;
    let (status, _) = call(&app, "/api/app/me", Some(&signed(&visitor, 60, token()))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn the_catalogue_search_and_product_pages_read_the_shop() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(23_101, "en"), TgUser::new(23_102, "fr"));
    let recipes = publish(&app, &seller, "Recettes créoles", "12", "BQACAgRecettes").await;
    let guide = publish(&app, &seller, "Guide du Sénégal", "20", "BQACAgGuide").await;
    let data = signed(&buyer, 0, token());

    let (status, home) = call(&app, "/api/app/catalog", Some(&data)).await;
    assert_eq!(status, StatusCode::OK, "{home}");
    let newest: Vec<i64> = home["newest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(newest, vec![guide, recipes], "newest first");
    assert_eq!(home["best_rated"].as_array().map(Vec::len), Some(0));

    // A buyer rates the recipes (the chat's review flow is tested in `reviews`): best rated.
    let rater = TgUser::new(23_103, "en");
    let coins = crate::support::flows::open_currencies(&app, &rater, recipes).await;
    let (order, _, payment) = crate::support::flows::pay_with(&app, &rater, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    app.tg.wait_for_text(rater.id, "Receipt").await;
    sqlx::query(
        "INSERT INTO reviews (order_id, product_id, seller_id, buyer_id, stars, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 5, 1, 1)",
    )
    .bind(order)
    .bind(recipes)
    .bind(seller.id)
    .bind(rater.id)
    .execute(app.store.pool())
    .await
    .unwrap();
    let (_, home) = call(&app, "/api/app/catalog", Some(&data)).await;
    assert_eq!(
        home["best_rated"][0]["id"].as_i64(),
        Some(recipes),
        "{home}"
    );
    assert_eq!(home["best_rated"][0]["rating_shown"], "★ 5.0 (1)");
    let (_, page) = call(&app, &format!("/api/app/products/{recipes}"), Some(&data)).await;
    assert_eq!(page["seller"]["name"], "@user23101", "{page}");
    assert_eq!(page["seller"]["sales"], 1);
    assert_eq!(page["reviews_list"][0]["stars"], 5);

    // Search as you type: accents and case folded.
    let (status, found) = call(&app, "/api/app/search?q=CREOLE", Some(&data)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["id"].as_i64(), Some(recipes));
    let (_, found) = call(&app, "/api/app/search?q=s%C3%A9n%C3%A9gal", Some(&data)).await;
    assert_eq!(found[0]["id"].as_i64(), Some(guide));

    // The product page: the price and what the buyer pays with the fee, exact.
    let (status, page) = call(&app, &format!("/api/app/products/{guide}"), Some(&data)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["title"], "Guide du Sénégal");
    assert_eq!(page["price"], "20.00");
    assert_eq!(
        page["total"], "20.56",
        "20.00 and a 2.78% fee of 0.556, to the cent"
    );
    let (status, _) = call(&app, "/api/app/products/999999", Some(&data)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, &format!("/api/app/products/{guide}"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn purchases_and_order_status_are_the_buyers_own() {
    let mut app = spawn_app().await;
    let (seller, buyer, other) = (
        TgUser::new(23_201, "en"),
        TgUser::new(23_202, "en"),
        TgUser::new(23_203, "en"),
    );
    let book = publish(&app, &seller, "Field guide", "15", "BQACAgField").await;
    let coins = crate::support::flows::open_currencies(&app, &buyer, book).await;
    let (order, _, payment) = crate::support::flows::pay_with(&app, &buyer, &coins, "BTC").await;
    let mine = signed(&buyer, 0, token());
    let (status, waiting) = call(&app, &format!("/api/app/orders/{order}"), Some(&mine)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    assert!(waiting["pay_address"].as_str().is_some());

    app.report(&payment, "finished").await;
    app.tg.wait_for_text(buyer.id, "Receipt").await;
    let (_, done) = call(&app, &format!("/api/app/orders/{order}"), Some(&mine)).await;
    assert_eq!(done["status"], "finished");
    let (status, bought) = call(&app, "/api/app/purchases", Some(&mine)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bought[0]["order"].as_i64(), Some(order), "{bought}");
    assert_eq!(bought[0]["title"], "Field guide");

    // "Send again to the chat": the bot hands the file over once more.
    let resend = |data: String| {
        let (http, url) = (
            app.http.clone(),
            app.url(&format!("/api/app/purchases/{order}/resend")),
        );
        async move {
            http.post(url)
                .header("authorization", format!("tma {data}"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(resend(mine.clone()).await, StatusCode::ACCEPTED);
    for _ in 0..100 {
        let sent = app
            .tg
            .calls()
            .iter()
            .filter(|c| crate::support::flows::is_delivery(c, buyer.id, "BQACAgField"))
            .count();
        if sent == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let sent = app
        .tg
        .calls()
        .iter()
        .filter(|c| crate::support::flows::is_delivery(c, buyer.id, "BQACAgField"))
        .count();
    assert_eq!(sent, 2, "the file again, in the chat");

    // Someone else's order is no business of theirs: the same 404 as no order at all.
    let theirs = signed(&other, 0, token());
    assert_eq!(resend(theirs.clone()).await, StatusCode::NOT_FOUND);
    let (status, body) = call(&app, &format!("/api/app/orders/{order}"), Some(&theirs)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (_, none) = call(&app, "/api/app/purchases", Some(&theirs)).await;
    assert_eq!(none.as_array().map(Vec::len), Some(0));
    app.stop().await;
}

#[tokio::test]
async fn the_page_is_small_strict_and_speaks_the_readers_language() {
    let mut app = spawn_app().await;
    let page = app.http.get(app.url("/app")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        csp.contains("script-src 'self' https://telegram.org;"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("https://telegram.org/js/telegram-web-app.js"));
    let mut first_load = html.len();
    for asset in ["/app/app.js", "/app/app.css"] {
        let resp = app.http.get(app.url(asset)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{asset}");
        assert!(resp.headers().contains_key("content-security-policy"));
        first_load += resp.bytes().await.unwrap().len();
    }
    assert_eq!(first_load, souk::http::app::page::first_load_bytes());
    assert!(first_load < 150 * 1024, "{first_load} bytes");
    // No secret reaches the page.
    assert!(!html.contains(token()));

    // The page's texts come in the reader's language, with the ways to pay.
    let visitor = TgUser::new(23_501, "fr");
    let data = signed(&visitor, 0, token());
    let (_, me) = call(&app, "/api/app/me", Some(&data)).await;
    assert_eq!(me["texts"]["app-shop"], "🛍 Boutique", "{me}");
    let (status, ways) = call(&app, "/api/app/ways", Some(&data)).await;
    assert_eq!(status, StatusCode::OK, "{ways}");
    assert!(
        ways.as_array().unwrap().iter().any(|w| w["code"] == "btc"),
        "{ways}"
    );
    app.stop().await;
}

#[tokio::test]
async fn with_miniapp_url_the_menu_button_start_and_cards_open_the_app() {
    let mut app = crate::support::app::spawn_app_with(crate::support::app::Options {
        extra_env: vec![("MINIAPP_URL", "https://shop.example/app".into())],
        ..Default::default()
    })
    .await;
    let menu = app
        .tg
        .wait_for("the menu button", |c| c.method == "setChatMenuButton")
        .await;
    assert!(menu.ok, "{:?}", menu.result);
    let button = app.tg.menu_button().expect("a menu button");
    assert_eq!(button["type"], "web_app");
    assert_eq!(button["web_app"]["url"], "https://shop.example/app");

    let (seller, buyer) = (TgUser::new(23_601, "en"), TgUser::new(23_602, "en"));
    let book = publish(&app, &seller, "Atlas", "15", "BQACAgAtlas").await;
    app.tg.send_text(&buyer, "/start");
    let welcome = app.tg.wait_for_text(buyer.id, "Welcome").await;
    assert_eq!(
        welcome.button_data("Open the shop").as_deref(),
        Some("https://shop.example/app")
    );
    app.tg.send_text(&buyer, &format!("/start p_{book}"));
    let card = app
        .tg
        .wait_for("the card", |c| {
            c.chat_id() == Some(buyer.id) && c.button_data("Open in the shop app").is_some()
        })
        .await;
    assert_eq!(
        card.button_data("Open in the shop app"),
        Some(format!("https://shop.example/app?product={book}"))
    );
    app.stop().await;
}

#[tokio::test]
async fn each_user_is_rate_limited_like_in_the_bot() {
    let mut app = crate::support::app::spawn_app_with(crate::support::app::Options {
        real_rate_limit: true,
        ..Default::default()
    })
    .await;
    let (hasty, calm) = (TgUser::new(23_801, "en"), TgUser::new(23_802, "en"));
    let data = signed(&hasty, 0, token());
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(call(&app, "/api/app/me", Some(&data)).await.0);
    }
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(refused > 0 && statuses[0] == StatusCode::OK, "{statuses:?}");
    // Another user is not held back by the first.
    let (status, _) = call(&app, "/api/app/me", Some(&signed(&calm, 0, token()))).await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}
