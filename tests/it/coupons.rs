//! Coupons: codes checked with a clear word for each refusal, the seller's code lowering the
//! price (and the seller's credit), the platform's paid out of the commission, and a limited
//! code never used past its limit by concurrent checkouts, its uses given back on expiry.

use crate::support::app::{ADMIN, TestApp, spawn_app};
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{open_currencies, pay_with, publish};
use std::collections::HashSet;

/// The buyer types `code` under the ways to pay; returns what the bot answered last (the new
/// menu of ways to pay, or the refusal).
async fn type_code(app: &TestApp, buyer: &TgUser, coins: &Call, code: &str, expect: &str) -> Call {
    app.tg.press_button(buyer, coins, "Have a code?");
    app.tg.wait_for_text(buyer.id, "Type your code").await;
    app.tg.send_text(buyer, code);
    app.tg.wait_for_text(buyer.id, expect).await
}

async fn sale_credit(app: &TestApp, order: i64) -> i64 {
    app.scalar(&format!(
        "SELECT amount_cents FROM ledger_entries WHERE reference = 'sale:{order}'"
    ))
    .await
}

#[tokio::test]
async fn codes_are_checked_and_each_side_pays_for_its_own_discount() {
    let mut app = spawn_app().await;
    let (seller, other) = (TgUser::new(16_001, "en"), TgUser::new(16_002, "en"));
    let admin = TgUser::new(ADMIN, "en");
    let guide = publish(&app, &seller, "Guide", "25", "BQACAgCpnGuide").await;
    let atlas = publish(&app, &other, "Atlas", "30", "BQACAgCpnAtlas").await;

    app.tg
        .send_text(&seller, &format!("/coupon GUIDE5 5.00 product={guide}"));
    app.tg.wait_for_text(seller.id, "Code created").await;
    app.tg
        .send_text(&other, &format!("/coupon STEAL 10% product={guide}"));
    app.tg
        .wait_for_text(other.id, "not yours or no longer exists")
        .await;
    app.tg.send_text(&other, "/coupon GUIDE5 10%");
    app.tg.wait_for_text(other.id, "exists already").await;
    app.tg.send_text(&seller, "/coupon EVERY 1% platform");
    app.tg
        .wait_for_text(seller.id, "for the marketplace's admins")
        .await;
    app.tg.send_text(&admin, "/coupon EVERY 1% platform");
    app.tg.wait_for_text(ADMIN, "Code created").await;
    app.tg.send_text(&seller, "/coupon OLD 10% days=1");
    app.tg.wait_for_text(seller.id, "Code created").await;
    sqlx::query("UPDATE coupons SET expires_at = 1 WHERE code = 'OLD'")
        .execute(app.store.pool())
        .await
        .unwrap();

    // Refusals, each with its reason; nothing is applied.
    let buyer = TgUser::new(16_010, "en");
    let coins = open_currencies(&app, &buyer, guide).await;
    type_code(&app, &buyer, &coins, "NOPE", "There is no such code").await;
    type_code(&app, &buyer, &coins, "old", "This code has expired").await;
    let atlas_coins = open_currencies(&app, &buyer, atlas).await;
    type_code(&app, &buyer, &atlas_coins, "guide5", "not for this product").await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM coupon_picks").await, 0);

    // The seller's code: $25.00 - $5.00 = $20.00, plus 2.78% of it ($0.56).
    let coins = type_code(&app, &buyer, &coins, "guide5", "Choose how you want to pay").await;
    let text = coins.text().unwrap();
    assert!(text.contains("$20.56"), "{text}");
    assert!(text.contains("Code GUIDE5: $5.00 off"), "{text}");
    let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
    assert_eq!(payment.price_amount, "20.56");
    app.report(&payment, "finished").await;
    app.tg.wait_for_text(seller.id, "Sale!").await;
    assert_eq!(
        sale_credit(&app, order).await,
        2000,
        "the seller pays for their code"
    );
    let coins = open_currencies(&app, &buyer, guide).await;
    type_code(&app, &buyer, &coins, "GUIDE5", "used this code already").await;

    // The platform's code: out of the commission ($0.70), the seller credited $25.00.
    let second = TgUser::new(16_011, "en");
    let coins = open_currencies(&app, &second, guide).await;
    let coins = type_code(&app, &second, &coins, "every", "Choose how you want to pay").await;
    // 1% of $25.70 = $0.26, taken from the $0.70 commission.
    assert!(
        coins.text().unwrap().contains("$25.44"),
        "{:?}",
        coins.text()
    );
    let (order, _, payment) = pay_with(&app, &second, &coins, "BTC").await;
    app.report(&payment, "finished").await;
    app.tg.wait_for_text(second.id, "Payment received").await;
    assert_eq!(
        sale_credit(&app, order).await,
        2500,
        "the seller's share is whole"
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT commission_cents FROM orders WHERE id = {order}"
        ))
        .await,
        44
    );

    app.tg.send_text(&seller, "/coupons");
    let list = app.tg.wait_for_text(seller.id, "Your codes").await;
    assert!(
        list.text()
            .unwrap()
            .contains("GUIDE5: $5.00 off, product #"),
        "{:?}",
        list.text()
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_checkouts_at_once_use_a_ten_use_code_exactly_ten_times() {
    let mut app = spawn_app().await;
    let seller = TgUser::new(16_101, "en");
    let product = publish(&app, &seller, "Course", "20", "BQACAgCourse").await;
    app.tg.send_text(&seller, "/coupon TEN 10% uses=10");
    app.tg.wait_for_text(seller.id, "Code created").await;

    let buyers: Vec<TgUser> = (0..30).map(|i| TgUser::new(16_200 + i, "en")).collect();
    let mut menus = Vec::new();
    for b in &buyers {
        let coins = open_currencies(&app, b, product).await;
        let coins = type_code(&app, b, &coins, "ten", "Code TEN: $2.00 off").await;
        menus.push(coins);
    }
    // Everyone presses BTC at once.
    for (b, coins) in buyers.iter().zip(&menus) {
        app.tg.press_button(b, coins, "BTC");
    }
    let ids: HashSet<i64> = buyers.iter().map(|b| b.id).collect();
    let (mut paid, mut refused) = (HashSet::new(), HashSet::new());
    for _ in 0..30 {
        let c = app
            .tg
            .wait_for("a payment or a used-up code", |c| {
                c.chat_id().is_some_and(|id| ids.contains(&id))
                    && (c.method == "sendPhoto"
                        || c.text().is_some_and(|t| t.contains("used as many times")))
            })
            .await;
        let chat = c.chat_id().unwrap();
        if c.method == "sendPhoto" {
            paid.insert(chat);
        } else {
            refused.insert(chat);
        }
    }
    assert_eq!((paid.len(), refused.len()), (10, 20));
    assert_eq!(app.scalar("SELECT uses FROM coupons").await, 10);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM orders WHERE coupon_id IS NOT NULL AND total_cents = 1850 AND discount_cents = 200")
            .await,
        10
    );

    // A refused buyer pays the full price when they choose again.
    let again = buyers.iter().find(|b| refused.contains(&b.id)).unwrap();
    let coins = open_currencies(&app, again, product).await;
    assert!(
        coins.text().unwrap().contains("$20.56"),
        "{:?}",
        coins.text()
    );

    // The ten discounted payments expire: their uses come back.
    for p in app.np.payments() {
        let discounted = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM orders WHERE id = {} AND coupon_id IS NOT NULL",
                p.order_id.clone().unwrap()
            ))
            .await;
        if discounted == 1 {
            app.report(&p, "expired").await;
        }
    }
    assert_eq!(app.scalar("SELECT uses FROM coupons").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM coupon_uses").await, 0);
    app.stop().await;
}
