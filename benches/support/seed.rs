//! What the IPN benchmarks seed: one seller, one buyer, one file product, and waiting orders
//! with a NOWPayments payment attached; and the IPN body NOWPayments would send for one.

use souk::domain::UsdCents;
use souk::domain::money::CommissionRate;
use souk::domain::price::Quote;
use souk::store::orders::AttachedPayment;
use souk::store::products::NewProduct;
use souk::store::{Store, orders, products, users};

/// The body of a payment IPN, as NOWPayments sends it, for a waiting bench order.
pub fn ipn(payment_id: &str, order_id: i64, status: &str) -> String {
    format!(
        r#"{{"payment_id":{payment_id},"parent_payment_id":null,"invoice_id":null,"payment_status":"{status}","pay_address":"bc1qbench","payin_extra_id":null,"price_amount":25.7,"price_currency":"usd","pay_amount":0.00059476,"actually_paid":0.00059476,"actually_paid_at_fiat":0,"pay_currency":"btc","order_id":"{order_id}","order_description":"bench","purchase_id":"1","outcome_amount":0.0005,"outcome_currency":"btc","payment_extra_ids":null,"fee":{{"currency":"btc","depositFee":0.09853637216235617,"withdrawalFee":0,"serviceFee":0}},"updated_at":1700000000000}}"#
    )
}

/// The shop the orders are made in: seller 1 selling a $25 file to buyer 2.
pub struct Shop {
    product: i64,
    quote: Quote,
}

impl Shop {
    pub async fn open(store: &Store) -> Shop {
        users::seen(store, 1, None, "seller", "en").await.unwrap();
        users::seen(store, 2, None, "buyer", "en").await.unwrap();
        let product = products::insert(
            store,
            &NewProduct {
                seller_id: 1,
                title: "Bench".into(),
                description: "d".into(),
                price: UsdCents(2500),
                file_id: "BQACAgBench".into(),
                file_unique_id: "u".into(),
                file_name: None,
                file_size: None,
                kind: souk::domain::product::ProductKind::File,
                category_id: None,
                text_content: None,
                photo: None,
                access_chat: None,
                access_days: None,
            },
            &[],
        )
        .await
        .unwrap();
        let quote = Quote::for_price(UsdCents(2500), CommissionRate::parse("2.78").unwrap());
        Shop { product, quote }
    }

    /// A waiting order of buyer 2, paid through NOWPayments payment `payment_id`.
    pub async fn waiting_order(&self, store: &Store, payment_id: &str) -> i64 {
        let order = orders::insert_created(store, 2, self.product, 1, self.quote, "btc")
            .await
            .unwrap();
        let attached = AttachedPayment {
            payment_id,
            pay_address: "bc1qbench",
            pay_amount: "0.00059476",
            expires_at: None,
        };
        orders::attach_payment(store, order, &attached)
            .await
            .unwrap();
        order
    }
}
