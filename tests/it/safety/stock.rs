//! A unique item is never sold twice, whatever order a settlement batch holds.

use crate::support::app::fresh_database;
use souk::domain::UsdCents;
use souk::domain::money::CommissionRate;
use souk::domain::price::Quote;
use souk::domain::product::ProductKind;
use souk::payments::PaymentStatusBody;
use souk::services::settlement::{self, Report};
use souk::store::orders::AttachedPayment;
use souk::store::products::NewProduct;
use souk::store::{Store, orders, products, stock, users};

fn report(order_id: i64, total: UsdCents, status: &str) -> Report {
    let raw = format!(
        r#"{{"payment_id":9100,"payment_status":"{status}","pay_address":"bc1q","price_amount":{total},"price_currency":"usd","pay_amount":0.0004,"actually_paid":0.0004,"pay_currency":"btc","order_id":"{order_id}"}}"#
    );
    let update: PaymentStatusBody = serde_json::from_str(&raw).unwrap();
    Report { update, raw }
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_expiry_then_a_payment_in_one_batch_sells_the_key_once() {
    let (url, _dir) = fresh_database().await;
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
        kind: ProductKind::Items,
        category_id: None,
        text_content: None,
    };
    let product = products::insert(&store, &product, &["KEY-ONLY-ONE".to_string()])
        .await
        .unwrap();
    let quote = Quote::for_price(UsdCents(1200), CommissionRate::parse("2.78").unwrap());
    let mut tx = store.write().await.unwrap();
    let order = orders::insert_created_in(&mut tx, 2, product, 1, quote, "btc")
        .await
        .unwrap();
    let item = stock::reserve(&mut tx, product, order).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(item.as_deref(), Some("KEY-ONLY-ONE"));
    let attached = AttachedPayment {
        payment_id: "9100",
        pay_address: "bc1q",
        pay_amount: "0.0004",
        expires_at: None,
    };
    orders::attach_payment(&store, order, &attached)
        .await
        .unwrap();

    let batch = [
        report(order, quote.total, "expired"),
        report(order, quote.total, "finished"),
    ];
    let settled = settlement::apply_many(&store, &[], &batch).await;
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
