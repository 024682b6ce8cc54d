//! Checkout: the buyer picks a coin; souk records the order first, then asks NOWPayments for a payment.

use crate::domain::money::CommissionRate;
use crate::domain::price::Quote;
use crate::domain::product::ProductKind;
use crate::payments::currencies::CurrencyCatalog;
use crate::payments::{GatewayError, PaymentGateway, PaymentRequest};
use crate::store::orders::{self, AttachedPayment, Order};
use crate::store::outbox::{self, OutboxMessage, Queued};
use crate::store::products::{self, Product};
use crate::store::stock;
use crate::store::{Store, StoreError};
use std::sync::Arc;

pub struct Checkout {
    pub store: Store,
    pub gateway: Arc<dyn PaymentGateway>,
    pub currencies: Arc<CurrencyCatalog>,
    pub commission: CommissionRate,
    pub ipn_callback_url: Option<String>,
    /// Wakes the outbox worker (a sold-out notice may be queued).
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// `STARS_PER_USD`: Telegram Stars are offered when set.
    pub stars_per_usd: Option<rust_decimal::Decimal>,
}

/// The pay currency of Telegram Stars orders.
pub const STARS: &str = "xtr";

#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    #[error("product unavailable")]
    ProductUnavailable,
    /// The buyer is banned from the marketplace.
    #[error("buyer banned")]
    Banned,
    #[error("sold out")]
    SoldOut,
    #[error("currency not offered")]
    CurrencyNotOffered,
    /// The total is below what the provider accepts in that coin (USD minimum given).
    #[error("below the provider's minimum of {minimum_usd} USD")]
    BelowMinimum { minimum_usd: String },
    #[error(transparent)]
    Provider(#[from] GatewayError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Checkout {
    pub fn quote(&self, product: &Product) -> Quote {
        Quote::for_price(product.price, self.commission)
    }

    /// The product, if this buyer may buy it now (not banned; the product in the shop).
    async fn buyable_for(&self, buyer_id: i64, product_id: i64) -> Result<Product, CheckoutError> {
        if crate::store::users::is_banned(&self.store, buyer_id).await? {
            return Err(CheckoutError::Banned);
        }
        products::get(&self.store, product_id)
            .await?
            .filter(Product::is_buyable)
            .ok_or(CheckoutError::ProductUnavailable)
    }

    /// A Stars order: written (and its item reserved) like any other; the buyer then pays the
    /// invoice inside Telegram. Returns the order, its product and its price in Stars.
    pub async fn start_stars(
        &self,
        buyer_id: i64,
        product_id: i64,
    ) -> Result<(Order, Product, u32), CheckoutError> {
        let rate = self
            .stars_per_usd
            .ok_or(CheckoutError::CurrencyNotOffered)?;
        let product = self.buyable_for(buyer_id, product_id).await?;
        let order = match orders::find_unpaid(&self.store, buyer_id, product_id, STARS).await? {
            Some(open) => open,
            None => {
                let id = self
                    .create_order(buyer_id, &product, self.quote(&product), STARS)
                    .await?;
                orders::get(&self.store, id)
                    .await?
                    .ok_or(CheckoutError::ProductUnavailable)?
            }
        };
        let stars = crate::domain::price::stars_for(order.total, rate)
            .ok_or(CheckoutError::CurrencyNotOffered)?;
        Ok((order, product, stars))
    }

    /// Creates (or reuses, when the buyer presses again) the order and its payment.
    #[tracing::instrument(name = "checkout", skip(self), fields(order_id))]
    pub async fn start(
        &self,
        buyer_id: i64,
        product_id: i64,
        coin: &str,
    ) -> Result<(Order, Product), CheckoutError> {
        let product = self.buyable_for(buyer_id, product_id).await?;
        if !self.currencies.offered().await?.iter().any(|c| c == coin) {
            return Err(CheckoutError::CurrencyNotOffered);
        }
        if let Some(open) = orders::find_open(&self.store, buyer_id, product_id, coin).await? {
            return Ok((open, product));
        }
        let quote = self.quote(&product);
        let minimum = self.gateway.min_amount(coin).await?;
        if let Some(min) = minimum.usd
            && quote.total.to_decimal() < min.value()
        {
            return Err(CheckoutError::BelowMinimum {
                minimum_usd: min.value().round_dp(2).to_string(),
            });
        }
        let order_id = self.create_order(buyer_id, &product, quote, coin).await?;
        tracing::Span::current().record("order_id", order_id);
        let request = PaymentRequest {
            order_id,
            price_amount: quote.total.to_decimal(),
            pay_currency: coin.to_string(),
            description: format!(
                "souk order {order_id}: {}",
                product.title.chars().take(80).collect::<String>()
            ),
            ipn_callback_url: self.ipn_callback_url.clone(),
        };
        let created = match self.gateway.create_payment(&request).await {
            Ok(c) => {
                crate::metrics::inc("souk_payments_created_total", &[("currency", coin)]);
                c
            }
            Err(e) => {
                // The order stays 'created' without a payment: if NOWPayments did create one
                // (a timeout after success), its IPN still finds the order by order_id.
                tracing::warn!(order_id, error = %e, "payment creation failed");
                // Its reserved item goes back to stock; a payment that exists after all still
                // settles (late money on a cancelled order is honoured).
                orders::cancel(&self.store, order_id, buyer_id).await?;
                return Err(e.into());
            }
        };
        orders::attach_payment(
            &self.store,
            order_id,
            &AttachedPayment {
                payment_id: &created.payment_id,
                pay_address: &created.pay_address,
                pay_amount: created.pay_amount.as_str(),
                expires_at: created.expires_at.as_deref(),
            },
        )
        .await?;
        tracing::info!(order_id, payment_id = created.payment_id, coin, total = %quote.total, "payment created");
        let order = orders::get(&self.store, order_id)
            .await?
            .ok_or(CheckoutError::ProductUnavailable)?;
        Ok((order, product))
    }

    /// Records the order and, for unique items, reserves one in the same transaction: an item
    /// is never promised twice, and the seller hears when the last one is taken.
    async fn create_order(
        &self,
        buyer_id: i64,
        product: &Product,
        quote: Quote,
        coin: &str,
    ) -> Result<i64, CheckoutError> {
        let mut tx = self.store.write().await?;
        let order_id = orders::insert_created_in(
            &mut tx,
            buyer_id,
            product.id,
            product.seller_id,
            quote,
            coin,
        )
        .await?;
        if product.kind == ProductKind::Items {
            if stock::reserve(&mut tx, product.id, order_id)
                .await?
                .is_none()
            {
                return Err(CheckoutError::SoldOut);
            }
            let (available, total) = stock::counts_in(&mut tx, product.id).await?;
            if available == 0 {
                let note = Queued {
                    // Once per stock level: after a restock, selling out again is news again.
                    dedupe_key: format!("product:{}:sold_out:{total}", product.id),
                    chat_id: product.seller_id,
                    message: OutboxMessage::text(
                        "seller-sold-out",
                        &[("title", product.title.clone())],
                    ),
                };
                outbox::enqueue(&mut tx, &[note]).await?;
            }
        }
        tx.commit().await?;
        self.outbox_wake.notify_one();
        Ok(order_id)
    }
}
