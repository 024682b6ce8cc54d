//! A unique item is never sold twice, whatever order a settlement batch holds.

use crate::support::app::fresh_database;
use souk::domain::UsdCents;
use souk::domain::money::CommissionRate;
use souk::domain::price::Quote;
use souk::domain::product::ProductKind;
use souk::payments::PaymentReport;
use souk::payments::PaymentStatusBody;
use souk::services::settlement;
use souk::store::orders::AttachedPayment;
use souk::store::products::NewProduct;
use souk::store::{Store, orders, products, stock, users};

fn report(order_id: i64, total: UsdCents, status: &str) -> PaymentReport {
    report_of("9100", order_id, total, status)
}

fn report_of(payment: &str, order_id: i64, total: UsdCents, status: &str) -> PaymentReport {
    let raw = format!(
        r#"{{"payment_id":{payment},"payment_status":"{status}","pay_address":"bc1q","price_amount":{total},"price_currency":"usd","pay_amount":0.0004,"actually_paid":0.0004,"pay_currency":"btc","order_id":"{order_id}"}}"#
    );
    PaymentStatusBody::read(&raw, false).unwrap()
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// A fresh database with a seller (1), a buyer (2) and a $12 product holding one `key`.
async fn one_key_shop(key: &str) -> (Store, i64, Quote, Option<tempfile::TempDir>) {
    let (url, dir) = fresh_database().await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    users::seen(&store, 1, None, "seller", "en").await.unwrap();
    users::seen(&store, 2, None, "buyer", "en").await.unwrap();
    let product = NewProduct {
        seller_id: 1,
        title: "Key".into(),
        description: "One key".into(),
        price: UsdCents(1200),
        file_id: String::new(),
        file_unique_id: String::new(),
        file_name: None,
        file_size: None,
        kind: ProductKind::Items,
        category_id: None,
        text_content: None,
        photo: None,
        access_chat: None,
        access_days: None,
    };
    let product = products::insert(&store, &product, &[key.to_string()])
        .await
        .unwrap();
    let quote = Quote::for_price(UsdCents(1200), CommissionRate::parse("2.78").unwrap());
    (store, product, quote, dir)
}

/// The buyer's order of the product, its item reserved and its payment `payment` attached; and
/// the item reserved.
async fn order_paying(
    store: &Store,
    product: i64,
    quote: Quote,
    payment: &str,
) -> (i64, Option<String>) {
    let mut tx = store.write().await.unwrap();
    let order = orders::insert_created_in(&mut tx, 2, product, 1, quote, "btc", None)
        .await
        .unwrap();
    let item = stock::reserve(&mut tx, product, order).await.unwrap();
    tx.commit().await.unwrap();
    let attached = AttachedPayment {
        payment_id: payment,
        pay_address: "bc1q",
        pay_amount: "0.0004",
        expires_at: None,
    };
    orders::attach_payment(store, order, &attached)
        .await
        .unwrap();
    (order, item)
}

#[tokio::test]
async fn an_expiry_then_a_payment_in_one_batch_sells_the_key_once() {
    let (store, product, quote, _dir) = one_key_shop("KEY-ONLY-ONE").await;
    let (order, item) = order_paying(&store, product, quote, "9100").await;
    assert_eq!(item.as_deref(), Some("KEY-ONLY-ONE"));

    let batch = [
        report(order, quote.total, "expired"),
        report(order, quote.total, "finished"),
    ];
    let settled = settlement::apply_many(&store, &batch).await;
    assert!(settled.iter().all(Result::is_ok), "{settled:?}");

    assert_eq!(
        orders::get(&store, order).await.unwrap().unwrap().status,
        souk::domain::OrderStatus::Finished
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM stock_items WHERE status = 'available'"
        )
        .await,
        0,
        "the key the buyer holds is not back on sale"
    );
    assert_eq!(
        scalar(
            &store,
            &format!(
                "SELECT COUNT(*) FROM stock_items WHERE status = 'sold' AND order_id = {order}"
            )
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE '%:delivered'"
        )
        .await,
        1,
        "delivered once"
    );
}

mod late_money {
    use crate::support::app::{ADMIN, TestApp, spawn_app};
    use crate::support::fake_telegram::TgUser;
    use crate::support::flows::{Goods, open_currencies, pay_with, publish_goods};

    /// A one-item product; `late` starts paying and lets it expire, `other` buys the item, then
    /// `late`'s money arrives. Returns the product and `late`'s order.
    async fn paid_after_sold_out(
        app: &TestApp,
        seller: &TgUser,
        late: &TgUser,
        other: &TgUser,
        item: &str,
    ) -> (i64, i64) {
        let product = publish_goods(
            app,
            seller,
            "One key",
            "The last key",
            "12",
            None,
            Goods::Items(item),
        )
        .await;
        let coins = open_currencies(app, late, product).await;
        let (late_order, _, late_payment) = pay_with(app, late, &coins, "BTC").await;
        let expired = app.np.ipn_body(&late_payment.payment_id, "expired", "0");
        assert_eq!(app.post_ipn(&expired).await, 200);
        app.tg.wait_for_text(late.id, "expired").await;

        let coins = open_currencies(app, other, product).await;
        let (_, _, paid) = pay_with(app, other, &coins, "BTC").await;
        let body = app
            .np
            .ipn_body(&paid.payment_id, "finished", &paid.pay_amount);
        assert_eq!(app.post_ipn(&body).await, 200);
        app.tg.wait_for_text(other.id, item).await;

        let body = app.np.ipn_body(
            &late_payment.payment_id,
            "finished",
            &late_payment.pay_amount,
        );
        assert_eq!(app.post_ipn(&body).await, 200);
        app.tg
            .wait_for_text(late.id, "sold out in the meantime")
            .await;
        (product, late_order)
    }

    /// Money that arrives after the last key went to someone else: nothing delivered, nothing
    /// credited, the admins told with the command to refund; a restock then delivers it, and
    /// the seller is credited once.
    #[tokio::test]
    async fn late_money_on_a_sold_out_product_credits_nobody_until_a_restock_delivers_it() {
        let mut app = spawn_app().await;
        let seller = TgUser::new(12_401, "en");
        let (late, other) = (TgUser::new(12_402, "en"), TgUser::new(12_403, "en"));
        let (product, late_order) =
            paid_after_sold_out(&app, &seller, &late, &other, "KEY-ONE").await;
        app.tg
            .wait_for_text(ADMIN, &format!("/refund {late_order}"))
            .await;
        assert_eq!(app.order_status(late_order).await, "paid_sold_out");
        let credited = format!(
            "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'sale' AND order_id = {late_order}"
        );
        assert_eq!(
            app.scalar(&credited).await,
            0,
            "nothing delivered, nothing credited"
        );

        // The seller restocks: the late buyer gets the new key, and the seller is credited.
        app.tg.press(&seller, &format!("edit:{product}:restock"), 1);
        app.tg.wait_for_text(seller.id, "new items").await;
        app.tg.send_text(&seller, "KEY-TWO");
        app.tg.wait_for_text(late.id, "KEY-TWO").await;
        assert_eq!(app.order_status(late_order).await, "finished");
        assert_eq!(app.scalar(&credited).await, 1);
        app.stop().await;
    }

    /// Or the admin refunds it, and nobody is debited what they were never credited.
    #[tokio::test]
    async fn a_paid_sold_out_order_can_be_refunded_without_debiting_the_seller() {
        let mut app = spawn_app().await;
        let admin = TgUser::new(ADMIN, "en");
        let seller = TgUser::new(12_411, "en");
        let (late, other) = (TgUser::new(12_412, "en"), TgUser::new(12_413, "en"));
        let (_, late_order) = paid_after_sold_out(&app, &seller, &late, &other, "CODE-ONE").await;

        app.tg.send_text(&admin, &format!("/refund {late_order}"));
        let ask = app.tg.wait_for_text(ADMIN, &format!("#{late_order}")).await;
        if let Some(confirm) = ask.button_data("Refund") {
            app.tg.press(&admin, &confirm, ask.message_id().unwrap());
        }
        app.tg.wait_for_text(late.id, "was refunded").await;
        assert_eq!(app.order_status(late_order).await, "refunded");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund'")
                .await,
            0
        );
        assert_eq!(
            app.scalar(&format!(
                "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM ledger_entries WHERE seller_id = {}",
                seller.id
            ))
            .await,
            1200,
            "the one real sale, nothing taken back"
        );
        app.stop().await;
    }
}

mod dust {
    use crate::support::app::{ADMIN, spawn_app};
    use crate::support::fake_telegram::TgUser;
    use crate::support::flows::{Goods, open_currencies, pay_with, publish_goods};

    /// A tiny deposit does not hold the last key forever: a day after the payment's expiry the
    /// order expires, the key goes back on sale, and the admins are told a refund is owed.
    #[tokio::test]
    async fn a_partly_paid_order_expires_after_a_grace_period_and_frees_its_key() {
        let mut app = spawn_app().await;
        let seller = TgUser::new(12_421, "en");
        let buyer = TgUser::new(12_422, "en");
        let product = publish_goods(
            &app,
            &seller,
            "Last key",
            "One key",
            "12",
            None,
            Goods::Items("DUST-KEY"),
        )
        .await;
        let coins = open_currencies(&app, &buyer, product).await;
        let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
        app.np
            .set_status(&payment.payment_id, "partially_paid", "0.00000001");
        let dust = app
            .np
            .ipn_body(&payment.payment_id, "partially_paid", "0.00000001");
        assert_eq!(app.post_ipn(&dust).await, 200);
        app.tg.wait_for_text(buyer.id, "is missing").await;
        let available = "SELECT COUNT(*) FROM stock_items WHERE status = 'available'";
        assert_eq!(app.scalar(available).await, 0, "the deposit holds the key");

        // Within the grace period nothing moves.
        let now = souk::store::now();
        app.reconciler().run(now + 3600).await.unwrap();
        assert_eq!(app.order_status(order).await, "partially_paid");

        let report = app.reconciler().run(now + 30 * 24 * 3600).await.unwrap();
        assert_eq!(report.expired, 1, "{report}");
        assert_eq!(app.order_status(order).await, "expired");
        assert_eq!(app.scalar(available).await, 1, "the key is back on sale");
        app.tg.wait_for_text(buyer.id, "will refund").await;
        app.tg
            .wait_for_text(
                ADMIN,
                &format!("Order #{order} (Last key) expired partly paid"),
            )
            .await;
        assert_eq!(app.scalar("SELECT COUNT(*) FROM ledger_entries").await, 0);
        app.stop().await;
    }
}

/// Money for an order whose key went to another buyer, then refunded within the same batch:
/// nothing was credited, so nothing is debited, and the order ends refunded.
#[tokio::test]
async fn late_money_refunded_in_the_same_batch_debits_nobody() {
    let (store, product, quote, _dir) = one_key_shop("THE-KEY").await;
    let (late, _) = order_paying(&store, product, quote, "9100").await;
    settlement::apply_many(&store, &[report(late, quote.total, "expired")]).await;
    let (other, _) = order_paying(&store, product, quote, "9101").await;
    let finished = report_of("9101", other, quote.total, "finished");
    settlement::apply_many(&store, &[finished]).await;

    let batch = [
        report(late, quote.total, "finished"),
        report(late, quote.total, "refunded"),
    ];
    let settled = settlement::apply_many(&store, &batch).await;
    assert!(settled.iter().all(Result::is_ok), "{settled:?}");
    assert_eq!(
        orders::get(&store, late).await.unwrap().unwrap().status,
        souk::domain::OrderStatus::Refunded
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'refund'"
        )
        .await,
        0,
        "nothing credited, nothing debited"
    );
    assert_eq!(
        scalar(
            &store,
            "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM ledger_entries"
        )
        .await,
        1200,
        "the other buyer's sale only"
    );
}
