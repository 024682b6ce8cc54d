//! Checkout: the buyer picks a way to pay; souk records the order first (reserving its item),
//! then asks that payment rail to bill it. Every rail goes through here.

use crate::domain::coupon::Unusable;
use crate::domain::money::CommissionRate;
use crate::domain::price::Quote;
use crate::domain::product::ProductKind;
use crate::payments::GatewayError;
use crate::payments::rail::{Bill, Choice, Presentation, Refused, Started};
use crate::payments::rails::Rails;
use crate::store::coupons::{self, Coupon};
use crate::store::orders::{self, AttachedPayment, Order};
use crate::store::outbox::{self, OutboxMessage, Queued, Recipient};
use crate::store::products::{self, Product};
use crate::store::stock;
use crate::store::{Store, StoreError};

pub struct Checkout {
    pub store: Store,
    pub rails: Rails,
    pub commission: CommissionRate,
}

/// Who pays, as the rail may need it.
#[derive(Debug, Clone)]
pub struct Buyer<'a> {
    pub id: i64,
    pub name: &'a str,
    /// International format, for choices that need one (mobile money).
    pub phone: Option<&'a str>,
}

/// An order ready to be paid, and how to show it.
#[derive(Debug, Clone)]
pub struct Payable {
    pub order: Order,
    pub product: Product,
    pub presentation: Presentation,
    /// What the buyer picked (its label and unit).
    pub choice: Choice,
    /// Stars: the invoice's price.
    pub stars: Option<u32>,
    /// A QR image the rail made, on the first showing.
    pub qr_png: Option<Vec<u8>>,
}

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
    /// The choice needs a phone number and none was given.
    #[error("phone number needed")]
    PhoneNeeded,
    /// The total is below what the provider accepts in that coin (USD minimum given).
    #[error("below the provider's minimum of {minimum_usd} USD")]
    BelowMinimum { minimum_usd: String },
    /// The buyer's code cannot be used (any more): it is dropped, the next try pays full price.
    #[error("coupon refused: {0:?}")]
    Coupon(Unusable),
    #[error(transparent)]
    Provider(#[from] GatewayError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Refused> for CheckoutError {
    fn from(r: Refused) -> Self {
        match r {
            Refused::BelowMinimum(minimum_usd) => CheckoutError::BelowMinimum { minimum_usd },
            Refused::Provider(e) => CheckoutError::Provider(e),
        }
    }
}

impl Checkout {
    pub fn quote(&self, product: &Product) -> Quote {
        Quote::for_price(product.price, self.commission)
    }

    /// What this buyer pays for the product: with the code they picked for it while it can be
    /// used (a code that no longer can is ignored here, and refused at checkout).
    pub async fn quote_for(
        &self,
        buyer_id: i64,
        product: &Product,
    ) -> Result<(Quote, Option<Coupon>), StoreError> {
        match self.picked(buyer_id, product).await? {
            Some(Ok(coupon)) => Ok((self.with_coupon(product, &coupon), Some(coupon))),
            _ => Ok((self.quote(product), None)),
        }
    }

    fn with_coupon(&self, product: &Product, coupon: &Coupon) -> Quote {
        Quote::with_coupon(
            product.price,
            self.commission,
            coupon.discount,
            coupon.funding(),
        )
    }

    /// The code the buyer picked for the product, and whether it can still be used.
    async fn picked(
        &self,
        buyer_id: i64,
        product: &Product,
    ) -> Result<Option<Result<Coupon, Unusable>>, StoreError> {
        let Some(coupon) = coupons::picked(&self.store, buyer_id, product.id).await? else {
            return Ok(None);
        };
        if let Err(reason) = coupon.check(product.id, product.seller_id, crate::store::now()) {
            return Ok(Some(Err(reason)));
        }
        if coupons::used_by(&self.store, coupon.id, buyer_id).await? {
            return Ok(Some(Err(Unusable::AlreadyUsed)));
        }
        Ok(Some(Ok(coupon)))
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

    /// Creates (or reuses, when the buyer presses again) the order for `code` and has its rail
    /// bill it.
    #[tracing::instrument(name = "checkout", skip(self, buyer), fields(buyer = buyer.id, order_id))]
    pub async fn start(
        &self,
        buyer: &Buyer<'_>,
        product_id: i64,
        code: &str,
    ) -> Result<Payable, CheckoutError> {
        let (rail, choice) = self
            .rails
            .choice(code)
            .await?
            .ok_or(CheckoutError::CurrencyNotOffered)?;
        let product = self.buyable_for(buyer.id, product_id).await?;
        if choice.needs_phone && buyer.phone.is_none() {
            return Err(CheckoutError::PhoneNeeded);
        }
        let payable = |order: Order, stars, qr_png| Payable {
            order,
            product: product.clone(),
            presentation: rail.presentation(),
            choice: choice.clone(),
            stars,
            qr_png,
        };
        // A code picked that can no longer be used is refused, not silently dropped: the
        // buyer sees the price change before paying it.
        let (quote, coupon) = match self.picked(buyer.id, &product).await? {
            Some(Err(reason)) => {
                coupons::unpick(&self.store, buyer.id, product_id).await?;
                return Err(CheckoutError::Coupon(reason));
            }
            Some(Ok(c)) => (self.with_coupon(&product, &c), Some(c)),
            None => (self.quote(&product), None),
        };
        let coupon_id = coupon.as_ref().map(|c| c.id);
        let mut reused = orders::find_unpaid(&self.store, buyer.id, product_id, code).await?;
        if let Some(open) = &reused
            && coupons::of_order(&self.store, open.id).await? != coupon_id
        {
            // A code picked (or dropped) since: a new order replaces it.
            reused = None;
        }
        let order = match reused {
            // Already billed: shown again as it is.
            Some(open) if open.payment_id.is_some() => return Ok(payable(open, None, None)),
            Some(open) => open,
            None => {
                rail.admits(code, quote.total).await?;
                let created = self
                    .create_order(buyer.id, &product, quote, code, rail.simulated(), coupon_id)
                    .await;
                if let Err(CheckoutError::Coupon(reason)) = &created {
                    tracing::info!(?reason, "coupon refused at checkout");
                    coupons::unpick(&self.store, buyer.id, product_id).await?;
                }
                let id = created?;
                orders::get(&self.store, id)
                    .await?
                    .ok_or(CheckoutError::ProductUnavailable)?
            }
        };
        tracing::Span::current().record("order_id", order.id);
        let bill = Bill {
            order_id: order.id,
            total: order.total,
            code,
            title: &product.title,
            buyer_name: buyer.name,
            phone: buyer.phone,
        };
        let started = match rail.start(&bill).await {
            Ok(s) => s,
            Err(e) => {
                // If the rail did create a payment after all (a timeout after success), its
                // notification still finds the order by its id.
                tracing::warn!(order_id = order.id, rail = rail.name(), error = %e, "payment creation failed");
                // Its reserved item goes back to stock; a payment that exists after all still
                // settles (late money on a cancelled order is honoured).
                orders::cancel(&self.store, order.id, buyer.id).await?;
                return Err(e.into());
            }
        };
        match started {
            Started::Invoice { stars } => Ok(payable(order, Some(stars), None)),
            Started::Payment(created) => {
                orders::attach_payment(
                    &self.store,
                    order.id,
                    &AttachedPayment {
                        payment_id: &created.payment_id,
                        pay_address: &created.pay_to,
                        pay_amount: &created.amount,
                        expires_at: created.expires_at.as_deref(),
                    },
                )
                .await?;
                tracing::info!(order_id = order.id, payment_id = created.payment_id, code, total = %order.total, "payment created");
                let order = orders::get(&self.store, order.id)
                    .await?
                    .ok_or(CheckoutError::ProductUnavailable)?;
                Ok(payable(order, None, created.qr_png))
            }
        }
    }

    /// Records the order and, for unique items, reserves one in the same transaction: an item
    /// is never promised twice, and the seller hears when the last one is taken. The buyer's
    /// unpaid orders of the product on other ways of paying are cancelled first, so switching
    /// coin or rail never holds two items (nor calls the last one sold out).
    async fn create_order(
        &self,
        buyer_id: i64,
        product: &Product,
        quote: Quote,
        coin: &str,
        simulated: bool,
        coupon_id: Option<i64>,
    ) -> Result<i64, CheckoutError> {
        let mut tx = self.store.write().await?;
        let replaced = orders::cancel_unpaid_in(&mut tx, buyer_id, product.id).await?;
        if !replaced.is_empty() {
            tracing::info!(?replaced, "unpaid orders replaced by another way of paying");
        }
        let order_id = orders::insert_created_in(
            &mut tx,
            buyer_id,
            product.id,
            product.seller_id,
            quote,
            coin,
            coupon_id,
        )
        .await?;
        // The code's use, taken with the order: never past its limit, once per buyer.
        if let Some(coupon) = coupon_id
            && let Err(reason) = coupons::take_use_in(&mut tx, coupon, buyer_id, order_id).await?
        {
            return Err(CheckoutError::Coupon(reason));
        }
        if simulated {
            orders::mark_sandbox_in(&mut tx, order_id).await?;
        }
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
                    to: Recipient::Chat(product.seller_id),
                    message: OutboxMessage::text(
                        "seller-sold-out",
                        &[("title", product.title.clone())],
                    ),
                };
                outbox::enqueue(&mut tx, &[note]).await?;
            }
        }
        tx.commit().await?;
        Ok(order_id)
    }
}
