//! Unique items: never sold twice under concurrent purchases, returned to stock when a payment
//! expires, restocked without duplicates; text products and deleted products still delivered.

use crate::support::app::spawn_app;
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{Goods, open_currencies, publish_goods};
use std::collections::HashSet;
use std::time::Duration;

const TEN_KEYS: &str = "AAAA-0001\nAAAA-0002\nAAAA-0003\nAAAA-0004\nAAAA-0005\nAAAA-0006\nAAAA-0007\nAAAA-0008\nAAAA-0009\nAAAA-0010";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_buyers_of_ten_keys_get_ten_distinct_keys_and_ten_sold_out_answers() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(7000, "en");
    let product = publish_goods(
        &app,
        &seller,
        "Game keys",
        "Steam keys",
        "12",
        None,
        Goods::Items(TEN_KEYS),
    )
    .await;
    let buyers: Vec<TgUser> = (0..20).map(|i| TgUser::new(7100 + i, "en")).collect();
    let mut keyboards = Vec::new();
    for b in &buyers {
        keyboards.push(open_currencies(&app, b, product).await);
    }
    // All twenty press BTC at once.
    for (b, coins) in buyers.iter().zip(&keyboards) {
        app.tg.press_button(b, coins, "BTC");
    }
    let ids: HashSet<i64> = buyers.iter().map(|b| b.id).collect();
    let mut photos: Vec<Call> = Vec::new();
    let mut sold_out = HashSet::new();
    for _ in 0..20 {
        let c = app
            .tg
            .wait_for("a payment or a sold-out answer", |c| {
                c.chat_id().is_some_and(|id| ids.contains(&id))
                    && (c.method == "sendPhoto" || c.text().is_some_and(|t| t.contains("sold out")))
            })
            .await;
        if c.method == "sendPhoto" {
            photos.push(c);
        } else {
            sold_out.insert(c.chat_id().unwrap());
        }
    }
    assert_eq!((photos.len(), sold_out.len()), (10, 10));
    let paid: HashSet<i64> = photos.iter().map(|c| c.chat_id().unwrap()).collect();
    assert!(paid.is_disjoint(&sold_out), "each buyer got one answer");
    app.tg.wait_for_text(seller.id, "is sold out").await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM stock_items WHERE status = 'reserved'")
            .await,
        10
    );
    assert_eq!(
        app.scalar("SELECT COUNT(DISTINCT order_id) FROM stock_items WHERE status = 'reserved'")
            .await,
        10
    );
    // The card now says so.
    app.tg.send_text(&buyers[0], &format!("/start p_{product}"));
    app.tg
        .wait_for("sold-out card", |c| {
            c.chat_id() == Some(buyers[0].id) && c.button_data("Sold out").is_some()
        })
        .await;

    // Half the payments finish (distinct keys delivered), half expire (keys back in stock).
    let payments = app.np.payments();
    assert_eq!(payments.len(), 10);
    let mut delivered = HashSet::new();
    for (i, p) in payments.iter().enumerate() {
        let status = if i % 2 == 0 { "finished" } else { "expired" };
        let body = app.np.ipn_body(&p.payment_id, status, &p.pay_amount);
        assert_eq!(app.post_ipn(&body).await, 200);
    }
    for _ in 0..5 {
        let c = app
            .tg
            .wait_for("a key", |c| {
                c.text().is_some_and(|t| t.contains("Your item:"))
            })
            .await;
        let key = c.text().unwrap().lines().last().unwrap().trim().to_string();
        assert!(key.starts_with("AAAA-"), "{key}");
        assert!(delivered.insert(key), "a key was delivered twice");
    }
    for _ in 0..5 {
        app.tg.wait_for_text_any("expired").await;
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM stock_items WHERE status = 'sold'")
            .await,
        5
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM stock_items WHERE status = 'available'")
            .await,
        5
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM stock_items WHERE status = 'reserved'")
            .await,
        0
    );

    // The returned keys sell again; none of them is one already delivered.
    let late = TgUser::new(7999, "en");
    app.tg.send_text(&late, &format!("/start p_{product}"));
    app.tg.wait_for_text(late.id, "5 left").await;
    let coins = open_currencies(&app, &late, product).await;
    let (_, _, p) = crate::support::flows::pay_with(&app, &late, &coins, "ETH").await;
    assert_eq!(app.report(&p, "finished").await, 200);
    let c = app
        .tg
        .wait_for("the late buyer's key", |c| {
            c.chat_id() == Some(late.id) && c.text().is_some_and(|t| t.contains("Your item:"))
        })
        .await;
    let key = c.text().unwrap().lines().last().unwrap().trim().to_string();
    assert!(!delivered.contains(&key), "{key} sold twice");
    app.stop().await;
}

#[tokio::test]
async fn restock_refuses_duplicates_and_accepts_a_txt_file() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(7200, "en");
    let product = publish_goods(
        &app,
        &seller,
        "Codes",
        "Gift codes",
        "10",
        None,
        Goods::Items("C1\nC2\nC2\nC3"),
    )
    .await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM stock_items").await,
        3,
        "the repeated line counts once"
    );
    app.tg.press(&seller, &format!("edit:{product}:restock"), 1);
    app.tg.wait_for_text(seller.id, "new items").await;
    app.tg.send_photo(&seller);
    app.tg
        .wait_for_text(seller.id, "as text, one per line")
        .await;
    let file = b"C3\nC4\nC5\n\nC4\n";
    app.tg.register_file("BQACAgCodes", "codes.txt", file);
    app.tg
        .send_document(&seller, "BQACAgCodes", "codes.txt", file.len() as u64);

    app.tg
        .wait_for_text(seller.id, "2 items added; 2 refused as duplicates")
        .await;
    app.tg.wait_for_text(seller.id, "Stock: 5 left of 5").await;
    app.stop().await;
}

#[tokio::test]
async fn a_text_product_is_delivered_as_text_and_deleted_products_stay_deliverable() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(7300, "en"), TgUser::new(7301, "en"));
    let product = publish_goods(
        &app,
        &seller,
        "Private link",
        "Members only",
        "10",
        None,
        Goods::Text("https://example.org/members"),
    )
    .await;
    let coins = open_currencies(&app, &buyer, product).await;
    let (order, _, p) = crate::support::flows::pay_with(&app, &buyer, &coins, "BTC").await;
    assert_eq!(app.report(&p, "finished").await, 200);
    app.tg
        .wait_for_text(buyer.id, "https://example.org/members")
        .await;
    // The seller deletes the product: the buyer still gets it again from /purchases.
    app.tg.press(&seller, &format!("delok:{product}"), 1);
    app.tg.wait_for_text(seller.id, "Deleted").await;
    app.tg.send_text(&buyer, &format!("/start p_{product}"));
    app.tg.wait_for_text(buyer.id, "no longer available").await;
    app.tg.press(&buyer, &format!("dl:{order}"), 1);
    app.tg
        .wait_for_text(buyer.id, "https://example.org/members")
        .await;
    app.tg
        .assert_no_call("anything odd", Duration::from_millis(200), |c| {
            c.text().is_some_and(|t| t.contains("went wrong"))
        })
        .await;
    app.stop().await;
}

/// A buyer who picks BTC, then changes their mind for ETH, gets the last key's ETH address:
/// their BTC order is cancelled and its key released, so switching never says "sold out".
#[tokio::test]
async fn switching_coin_on_the_last_key_replaces_the_unpaid_order() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(7301, "en"), TgUser::new(7302, "en"));
    let product = publish_goods(
        &app,
        &seller,
        "Last key",
        "Only one",
        "10",
        None,
        Goods::Items("LAST-KEY-1"),
    )
    .await;
    let coins = open_currencies(&app, &buyer, product).await;
    let photos = |app: &crate::support::app::TestApp| {
        app.tg
            .calls_to(buyer.id)
            .into_iter()
            .filter(|c| c.method == "sendPhoto")
            .count()
    };
    for (n, coin) in ["BTC", "ETH"].into_iter().enumerate() {
        app.tg.press_button(&buyer, &coins, coin);
        for _ in 0..200 {
            if photos(&app) > n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(photos(&app), n + 1, "an address for {coin}");
    }
    let statuses: Vec<(String, String)> =
        sqlx::query_as("SELECT pay_currency, status FROM orders WHERE buyer_id = $1 ORDER BY id")
            .bind(buyer.id)
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        statuses,
        [
            ("btc".to_string(), "cancelled".to_string()),
            ("eth".to_string(), "waiting".to_string())
        ]
    );
    let reserved = app
        .scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM stock_items WHERE status = 'reserved'")
        .await;
    assert_eq!(reserved, 1, "one key held, by the ETH order");
    app.stop().await;
}
