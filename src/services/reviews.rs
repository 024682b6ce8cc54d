//! Reviews from verified buyers: only the buyer of a finished order rates it (1 to 5 stars, a
//! comment), once per order, and may change it later; the seller hears of a new review and may
//! answer it once; the buyer hears of the answer.

use crate::domain::OrderStatus;
use crate::domain::review::{MAX_COMMENT, is_rating, stars_line};
use crate::store::outbox::{self, OrderButton, OutboxMessage, Queued};
use crate::store::reviews::{self, Rated};
use crate::store::{Store, StoreError, orders, products};

/// Why a rating is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not this user's order, or not a finished one: only verified buyers review.
    NotABuyer,
    NotARating,
}

/// Rates the order's product; a new review is told to the seller with a button to answer.
pub async fn rate(
    store: &Store,
    order_id: i64,
    user: i64,
    stars: i64,
) -> Result<Result<Rated, Refusal>, StoreError> {
    if !is_rating(stars) {
        return Ok(Err(Refusal::NotARating));
    }
    let Some(order) = orders::get(store, order_id)
        .await?
        .filter(|o| o.buyer_id == user && o.status == OrderStatus::Finished)
    else {
        return Ok(Err(Refusal::NotABuyer));
    };
    let rated = reviews::rate(
        store,
        order_id,
        order.product_id,
        order.seller_id,
        user,
        stars,
    )
    .await?;
    if let Rated::New(id) = rated {
        let title = products::get(store, order.product_id)
            .await?
            .map(|p| p.title)
            .unwrap_or_default();
        let args = [
            ("title", title),
            ("order", order_id.to_string()),
            ("stars", stars_line(stars)),
        ];
        let note = Queued::to_chat(
            order.seller_id,
            format!("review:{id}:new"),
            OutboxMessage::alert(
                "seller-new-review",
                &args,
                vec![OrderButton::ReviewAnswer { review: id }],
            ),
        );
        outbox::enqueue_now(store, &[note]).await?;
    }
    Ok(Ok(rated))
}

/// The buyer's comment on their review (cut to `MAX_COMMENT` characters); false without one.
pub async fn comment(
    store: &Store,
    order_id: i64,
    user: i64,
    text: &str,
) -> Result<bool, StoreError> {
    let mine = orders::get(store, order_id)
        .await?
        .is_some_and(|o| o.buyer_id == user);
    if !mine {
        return Ok(false);
    }
    let text: String = text.chars().take(MAX_COMMENT).collect();
    reviews::comment(store, order_id, &text).await
}

/// The seller's one answer to a review; the buyer is told. False when it is not their review,
/// or it has an answer already.
pub async fn answer(
    store: &Store,
    review_id: i64,
    seller: i64,
    text: &str,
) -> Result<bool, StoreError> {
    let text: String = text.chars().take(MAX_COMMENT).collect();
    if !reviews::answer(store, review_id, seller, &text).await? {
        return Ok(false);
    }
    let Some(review) = reviews::get(store, review_id).await? else {
        return Ok(true);
    };
    let title = products::get(store, review.product_id)
        .await?
        .map(|p| p.title)
        .unwrap_or_default();
    let note = Queued::to_chat(
        review.buyer_id,
        format!("review:{review_id}:answered"),
        OutboxMessage::text("review-answered", &[("title", title), ("text", text)]),
    );
    outbox::enqueue_now(store, &[note]).await?;
    Ok(true)
}
