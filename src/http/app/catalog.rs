//! The shop as the Mini App reads it: who is signed in (with the page's texts in their
//! language), the home page (categories, newest and best-rated products), search as you type, one
//! product's page, and the ways to pay.

use super::{Refused, Session, internal};
use crate::domain::price::{Quote, stars_for};
use crate::domain::review::Rating;
use crate::http::HttpState;
use crate::store::products::{self, Listing, Product};
use crate::store::{StoreError, categories, reviews};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

/// Products shown per list.
const PAGE: i64 = 20;

/// The page's own texts (in `locales/`), sent once in the reader's language.
const TEXTS: [&str; 21] = [
    "app-search",
    "app-categories",
    "app-newest",
    "app-results",
    "app-shop",
    "app-purchases",
    "app-no-results",
    "app-no-purchases",
    "app-copy",
    "app-copied",
    "app-waiting",
    "app-delivered",
    "app-failed",
    "app-open-checkout",
    "app-error",
    "app-resend",
    "app-resent",
    "app-best-rated",
    "app-download",
    "app-phone",
    "app-phone-go",
];

#[derive(Serialize)]
pub struct Me {
    id: i64,
    first_name: String,
    language: String,
    texts: std::collections::BTreeMap<&'static str, String>,
}

pub async fn me(session: Session) -> Json<Me> {
    let texts = TEXTS
        .iter()
        .map(|key| (*key, crate::i18n::t(&session.lang, key)))
        .collect();
    Json(Me {
        id: session.user_id,
        first_name: session.first_name,
        language: session.lang,
        texts,
    })
}

/// A sum of US dollars as the reader's language writes it ("$25.70", "25,70 $").
pub(super) fn money(lang: &str, amount: crate::domain::UsdCents) -> String {
    crate::i18n::tr(lang, "app-money", &[("amount", amount.to_string())])
}

#[derive(Serialize)]
pub struct WayView {
    code: String,
    label: String,
    /// The buyer gives a phone number first (mobile money).
    needs_phone: bool,
}

/// The ways to pay the rails offer now, labelled in the reader's language.
pub async fn ways(
    session: Session,
    State(state): State<HttpState>,
) -> Result<Json<Vec<WayView>>, Refused> {
    let Some(app) = &state.app else {
        return Err((StatusCode::NOT_FOUND, "the Mini App is not served here"));
    };
    let choices = app.checkout.rails.choices().await.map_err(|e| {
        tracing::warn!(error = %e, "no ways to pay");
        (
            StatusCode::BAD_GATEWAY,
            "the payment provider is unavailable",
        )
    })?;
    Ok(Json(
        choices
            .into_iter()
            .map(|c| WayView {
                label: match c.label {
                    crate::payments::rail::Label::Key(key) => crate::i18n::t(&session.lang, key),
                    crate::payments::rail::Label::Text(text) => text,
                },
                code: c.code,
                needs_phone: c.needs_phone,
            })
            .collect(),
    ))
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
    /// As the reader's language writes them.
    total_shown: String,
    stars_shown: Option<String>,
    rating_shown: Option<String>,
    kind_shown: String,
}

async fn view(state: &HttpState, lang: &str, p: &Product) -> Result<ProductView, StoreError> {
    let rating = reviews::of_product_rating(&state.core.store, p.id).await?;
    rated_view(state, lang, p, rating)
}

fn rated_view(
    state: &HttpState,
    lang: &str,
    p: &Product,
    rating: Rating,
) -> Result<ProductView, StoreError> {
    let Some(app) = &state.app else {
        return Err(StoreError::Corrupt("the Mini App is off".into()));
    };
    let quote = Quote::for_price(p.price, app.commission);
    let stars = app
        .stars_per_usd
        .and_then(|per_usd| stars_for(quote.total, per_usd));
    let average = rating.average();
    Ok(ProductView {
        id: p.id,
        title: p.title.clone(),
        description: p.description.clone(),
        kind: p.kind.as_str(),
        price: p.price.to_string(),
        total: quote.total.to_string(),
        stars,
        rating_shown: average.as_ref().map(|avg| {
            let args = [("rating", avg.clone()), ("count", rating.count.to_string())];
            crate::i18n::tr(lang, "app-rating", &args)
        }),
        rating: average,
        reviews: rating.count,
        has_cover: p.photo.is_some(),
        total_shown: money(lang, quote.total),
        stars_shown: stars.map(|n| crate::i18n::tr(lang, "app-stars", &[("stars", n.to_string())])),
        kind_shown: crate::i18n::t(lang, &format!("kind-name-{}", p.kind.as_str())),
    })
}

async fn views(
    state: &HttpState,
    lang: &str,
    list: &[Product],
) -> Result<Vec<ProductView>, StoreError> {
    let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
    let ratings = reviews::of_products_ratings(&state.core.store, &ids).await?;
    list.iter()
        .map(|p| {
            let rating = ratings.get(&p.id).copied().unwrap_or_default();
            rated_view(state, lang, p, rating)
        })
        .collect()
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
    best_rated: Vec<ProductView>,
}

/// The shop's home: its categories and newest products.
pub async fn home(session: Session, State(state): State<HttpState>) -> Result<Json<Home>, Refused> {
    let store = &state.core.store;
    let cats = categories::list(store).await.map_err(internal)?;
    let newest = products::list(store, &Listing::default(), PAGE, 0)
        .await
        .map_err(internal)?;
    let best = products::best_rated(store, 10).await.map_err(internal)?;
    Ok(Json(Home {
        categories: cats
            .into_iter()
            .map(|c| CategoryView {
                id: c.id,
                name: c.name,
            })
            .collect(),
        newest: views(&state, &session.lang, &newest)
            .await
            .map_err(internal)?,
        best_rated: views(&state, &session.lang, &best)
            .await
            .map_err(internal)?,
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
    session: Session,
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
    Ok(Json(
        views(&state, &session.lang, &found)
            .await
            .map_err(internal)?,
    ))
}

/// A review as the product's page shows it.
#[derive(Serialize)]
pub struct ReviewView {
    stars: i64,
    comment: Option<String>,
    /// The seller's answer.
    answer: Option<String>,
}

/// The seller as the product's page shows them.
#[derive(Serialize)]
pub struct SellerView {
    name: String,
    sales: i64,
    rating_shown: Option<String>,
}

/// A product's page: the product, its seller and its latest visible reviews.
#[derive(Serialize)]
pub struct ProductPage {
    #[serde(flatten)]
    product: ProductView,
    seller: SellerView,
    reviews_list: Vec<ReviewView>,
}

/// One product in the shop, with its seller and latest reviews.
pub async fn product(
    session: Session,
    State(state): State<HttpState>,
    Path(id): Path<i64>,
) -> Result<Json<ProductPage>, Refused> {
    let store = &state.core.store;
    let found = products::get(store, id)
        .await
        .map_err(internal)?
        .filter(Product::is_buyable);
    let Some(p) = found else {
        return Err((StatusCode::NOT_FOUND, "no such product in the shop"));
    };
    let front = products::storefront(store, &p).await.map_err(internal)?;
    let seller_rating = reviews::of_seller_rating(store, p.seller_id)
        .await
        .map_err(internal)?;
    let latest = reviews::of_product(store, p.id, 10, 0)
        .await
        .map_err(internal)?;
    Ok(Json(ProductPage {
        product: view(&state, &session.lang, &p).await.map_err(internal)?,
        seller: SellerView {
            name: front.seller,
            sales: front.sales,
            rating_shown: seller_rating.average().map(|avg| {
                let args = [("rating", avg), ("count", seller_rating.count.to_string())];
                crate::i18n::tr(&session.lang, "app-rating", &args)
            }),
        },
        reviews_list: latest
            .into_iter()
            .map(|r| ReviewView {
                stars: r.stars,
                comment: r.comment,
                answer: r.answer,
            })
            .collect(),
    }))
}
