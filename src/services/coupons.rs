//! Coupons: a seller's codes for one product or all of theirs, the platform's codes (admins',
//! paid out of the commission); a buyer types a code before paying and checkout applies it
//! (`services::checkout`), taking one use with the order.

use crate::domain::coupon::{Discount, Unusable, canonical_code};
use crate::store::coupons::{self, Coupon, NewCoupon};
use crate::store::{Store, StoreError, products};

/// Why a new code is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateError {
    Usage,
    BadCode,
    BadDiscount,
    /// The product is not the seller's (or does not exist).
    NotYourProduct,
    /// `uses=` or `days=` is not a whole number from 1.
    BadNumber,
    /// `platform` is for admins.
    AdminsOnly,
    CodeTaken,
}

/// `/coupon CODE DISCOUNT [product=<id>] [uses=<n>] [days=<n>] [platform]`: a seller's code
/// (their products, or one of them), or with `platform` an admin's code for every product.
pub async fn create(
    store: &Store,
    creator: i64,
    is_admin: bool,
    args: &str,
) -> Result<Result<Coupon, CreateError>, StoreError> {
    let mut words = args.split_whitespace();
    let (Some(code), Some(discount)) = (words.next(), words.next()) else {
        return Ok(Err(CreateError::Usage));
    };
    let Some(code) = canonical_code(code) else {
        return Ok(Err(CreateError::BadCode));
    };
    let Some(discount) = Discount::parse(discount) else {
        return Ok(Err(CreateError::BadDiscount));
    };
    let mut new = NewCoupon {
        code,
        seller_id: Some(creator),
        product_id: None,
        discount,
        expires_at: None,
        max_uses: None,
        created_by: creator,
    };
    for word in words {
        let number = |value: &str| value.parse::<i64>().ok().filter(|n| *n >= 1);
        match word.split_once('=') {
            Some(("product" | "p", id)) => match number(id) {
                Some(id) => new.product_id = Some(id),
                None => return Ok(Err(CreateError::NotYourProduct)),
            },
            Some(("uses", n)) => match number(n) {
                Some(n) => new.max_uses = Some(n),
                None => return Ok(Err(CreateError::BadNumber)),
            },
            Some(("days", n)) => match number(n).filter(|n| *n <= 3650) {
                Some(n) => new.expires_at = Some(crate::store::now() + n * 86_400),
                None => return Ok(Err(CreateError::BadNumber)),
            },
            None if word == "platform" && is_admin => new.seller_id = None,
            None if word == "platform" => return Ok(Err(CreateError::AdminsOnly)),
            _ => return Ok(Err(CreateError::Usage)),
        }
    }
    if let (Some(seller), Some(product)) = (new.seller_id, new.product_id) {
        let theirs = products::get(store, product)
            .await?
            .is_some_and(|p| p.seller_id == seller);
        if !theirs {
            return Ok(Err(CreateError::NotYourProduct));
        }
    }
    if coupons::create(store, &new).await?.is_none() {
        return Ok(Err(CreateError::CodeTaken));
    }
    let made = coupons::by_code(store, &new.code).await?;
    Ok(made.ok_or(CreateError::CodeTaken))
}

/// The buyer types a code for a product: kept for their checkout of it when it can be used.
pub async fn apply(
    store: &Store,
    typed: &str,
    buyer: i64,
    product_id: i64,
) -> Result<Result<Coupon, Unusable>, StoreError> {
    let Some(code) = canonical_code(typed) else {
        return Ok(Err(Unusable::Unknown));
    };
    let Some(coupon) = coupons::by_code(store, &code).await? else {
        return Ok(Err(Unusable::Unknown));
    };
    let Some(product) = products::get(store, product_id).await? else {
        return Ok(Err(Unusable::NotForThis));
    };
    if let Err(reason) = coupon.check(product.id, product.seller_id, crate::store::now()) {
        return Ok(Err(reason));
    }
    if coupons::used_by(store, coupon.id, buyer).await? {
        return Ok(Err(Unusable::AlreadyUsed));
    }
    coupons::pick(store, buyer, product_id, coupon.id).await?;
    Ok(Ok(coupon))
}

/// "10%" or "$5.00" as the buyer reads it (the locale formats the dollars).
pub fn discount_text(d: Discount) -> (String, String) {
    match d {
        Discount::Percent(bp) if bp % 100 == 0 => ("percent".into(), (bp / 100).to_string()),
        Discount::Percent(bp) => ("percent".into(), format!("{}.{:02}", bp / 100, bp % 100)),
        Discount::Fixed(cents) => ("fixed".into(), cents.to_string()),
    }
}
