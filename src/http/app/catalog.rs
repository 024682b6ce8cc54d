//! The shop as the Mini App reads it: who is signed in, the home page (categories, newest and
//! best-rated products), search as you type, and one product's page.

use super::{Refused, Session};
use crate::domain::price::{Quote, stars_for};
use crate::http::HttpState;
use crate::store::products::{self, Listing, Product};
use crate::store::{StoreError, categories, reviews};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

/// Products shown per list.
const PAGE: i64 = 20;

fn internal(e: StoreError) -> Refused {
    tracing::error!(error = %e, "Mini App call failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "try again shortly")
}

#[derive(Serialize)]
pub struct Me {
    id: i64,
    first_name: String,
    language: String,
}

pub async fn me(session: Session) -> Json<Me> {
    Json(Me {
        id: session.user_id,
        first_name: session.first_name,
        language: session.lang,
    })
}

/// A product in a list or on its page: prices in US dollars as exact decimal texts.
#[derive(Serialize)]
pub struct ProductView {
    id: i64,
    title: String,
    description: String,
    kind: &'static str,
    /// What the seller asks.
    price: String,
    /// What the buyer pays: the price and the platform's fee.
    total: String,
    stars: Option<u32>,
    rating: Option<String>,
    reviews: i64,
    has_cover: bool,
}

async fn view(state: &HttpState, p: &Product) -> Result<ProductView, StoreError> {
    let Some(app) = &state.app else {
        return Err(StoreError::Corrupt("the Mini App is off".into()));
    };
    let quote = Quote::for_price(p.price, app.commission);
    let rating = reviews::of_product_rating(&state.core.store, p.id).await?;
    Ok(ProductView {
        id: p.id,
        title: p.title.clone(),
        description: p.description.clone(),
        kind: p.kind.as_str(),
        price: p.price.to_string(),
        total: quote.total.to_string(),
        stars: app
            .stars_per_usd
            .and_then(|per_usd| stars_for(quote.total, per_usd)),
        rating: rating.average(),
        reviews: rating.count,
        has_cover: p.photo.is_some(),
    })
}

async fn views(state: &HttpState, list: &[Product]) -> Result<Vec<ProductView>, StoreError> {
    let mut out = Vec::with_capacity(list.len());
    for p in list {
        out.push(view(state, p).await?);
    }
    Ok(out)
}

#[derive(Serialize)]
pub struct CategoryView {
    id: i64,
    name: String,
}

#[derive(Serialize)]
pub struct Home {
    categories: Vec<CategoryView>,
    newest: Vec<ProductView>,
}

/// The shop's home: its categories and newest products.
pub async fn home(
    _session: Session,
    State(state): State<HttpState>,
) -> Result<Json<Home>, Refused> {
    let store = &state.core.store;
    let cats = categories::list(store).await.map_err(internal)?;
    let newest = products::list(store, &Listing::default(), PAGE, 0)
        .await
        .map_err(internal)?;
    Ok(Json(Home {
        categories: cats
            .into_iter()
            .map(|c| CategoryView {
                id: c.id,
                name: c.name,
            })
            .collect(),
        newest: views(&state, &newest).await.map_err(internal)?,
    }))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    category: Option<i64>,
}

/// Products whose title or description holds every word typed (accents and case folded), or
/// a category's products.
pub async fn search(
    _session: Session,
    State(state): State<HttpState>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Vec<ProductView>>, Refused> {
    if query.q.chars().count() > 100 {
        return Err((StatusCode::BAD_REQUEST, "search text too long"));
    }
    let mut listing = Listing::search(&query.q);
    listing.category_id = query.category;
    let found = products::list(&state.core.store, &listing, PAGE, 0)
        .await
        .map_err(internal)?;
    Ok(Json(views(&state, &found).await.map_err(internal)?))
}

/// One product in the shop.
pub async fn product(
    _session: Session,
    State(state): State<HttpState>,
    Path(id): Path<i64>,
) -> Result<Json<ProductView>, Refused> {
    let found = products::get(&state.core.store, id)
        .await
        .map_err(internal)?
        .filter(Product::is_buyable);
    let Some(p) = found else {
        return Err((StatusCode::NOT_FOUND, "no such product in the shop"));
    };
    Ok(Json(view(&state, &p).await.map_err(internal)?))
}
