//! The signed-in buyer's orders as the Mini App reads them: their purchases (and their goods
//! sent again to the chat), and one order's status (what a checkout page polls until it reads
//! "finished"). Another user's order is answered 404, exactly as one that does not exist.

use super::{Refused, Session, internal};
use crate::http::HttpState;
use crate::store::orders::{self, BuyerOrders};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;

/// Purchases listed at most.
const LISTED: i64 = 50;

#[derive(Serialize)]
pub struct PurchaseView {
    order: i64,
    title: String,
    total: String,
    total_shown: String,
    /// A download link can be asked for (a file with a stored copy).
    downloadable: bool,
}

/// The buyer's finished orders, newest first.
pub async fn purchases(
    session: Session,
    State(state): State<HttpState>,
) -> Result<Json<Vec<PurchaseView>>, Refused> {
    let list = orders::of_buyer(
        &state.core.store,
        session.user_id,
        BuyerOrders::Purchases,
        LISTED,
        0,
    )
    .await
    .map_err(internal)?;
    Ok(Json(
        list.into_iter()
            .map(|p| PurchaseView {
                order: p.order_id,
                title: p.title,
                total: p.total.to_string(),
                total_shown: super::catalog::money(&session.lang, p.total),
                downloadable: p.has_file_copy,
            })
            .collect(),
    ))
}

#[derive(Serialize)]
pub struct OrderStatusView {
    order: i64,
    status: &'static str,
    total: String,
    pay_currency: String,
    pay_amount: Option<String>,
    pay_address: Option<String>,
}

/// One of the buyer's orders, as it stands.
pub async fn order(
    session: Session,
    State(state): State<HttpState>,
    Path(id): Path<i64>,
) -> Result<Json<OrderStatusView>, Refused> {
    let found = orders::get(&state.core.store, id)
        .await
        .map_err(internal)?
        .filter(|o| o.buyer_id == session.user_id);
    let Some(o) = found else {
        return Err((StatusCode::NOT_FOUND, "no such order"));
    };
    Ok(Json(OrderStatusView {
        order: o.id,
        status: o.status.as_str(),
        total: o.total.to_string(),
        pay_currency: o.pay_currency,
        pay_amount: o.pay_amount,
        pay_address: o.pay_address,
    }))
}

#[derive(Serialize)]
pub struct ResendView {
    queued: bool,
}

/// The goods of one of the buyer's purchases, sent again to the chat by the bot.
pub async fn resend(
    session: Session,
    State(state): State<HttpState>,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<ResendView>), Refused> {
    use crate::services::redelivery::{Resent, resend};
    match resend(&state.core.store, session.user_id, id)
        .await
        .map_err(internal)?
    {
        Resent::Queued => Ok((StatusCode::ACCEPTED, Json(ResendView { queued: true }))),
        Resent::Nothing => Err((StatusCode::NOT_FOUND, "no such purchase")),
    }
}

#[derive(Serialize)]
pub struct LinkView {
    url: String,
    /// How long the link works.
    minutes: u64,
}

/// A short-lived download link to the stored copy of a purchased file (where the storage can
/// make one: S3); 404 for anything else.
pub async fn link(
    session: Session,
    State(state): State<HttpState>,
    Path(id): Path<i64>,
) -> Result<Json<LinkView>, Refused> {
    use crate::files::LINK_TTL;
    let none = (StatusCode::NOT_FOUND, "no download link for this purchase");
    let Some(app) = &state.app else {
        return Err(none);
    };
    let order = orders::get(&state.core.store, id)
        .await
        .map_err(internal)?
        .filter(|o| {
            o.buyer_id == session.user_id && o.status == crate::domain::OrderStatus::Finished
        });
    let Some(order) = order else {
        return Err(none);
    };
    let product = crate::store::products::get(&state.core.store, order.product_id)
        .await
        .map_err(internal)?;
    let Some(key) = product.and_then(|p| p.storage_key) else {
        return Err(none);
    };
    match app.files.download_link(&key, LINK_TTL).await {
        Ok(Some(url)) => Ok(Json(LinkView {
            url,
            minutes: LINK_TTL.as_secs() / 60,
        })),
        Ok(None) => Err(none),
        Err(e) => {
            tracing::warn!(order_id = id, error = %e, "no download link");
            Err((StatusCode::BAD_GATEWAY, "the file storage is unavailable"))
        }
    }
}
