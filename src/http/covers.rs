//! `GET /covers/{product}`: a product's cover photo, fetched from Telegram by its `file_id`,
//! for what needs a public picture URL (a Stars invoice's `photo_url`). Only products in the
//! shop have their cover served.

use super::HttpState;
use crate::store::products;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Telegram's largest photo upload; covers are photos.
const MAX_COVER: u64 = 10 * 1024 * 1024;

pub async fn cover(State(state): State<HttpState>, Path(product): Path<String>) -> Response {
    let Some(bot) = &state.bot else {
        return (StatusCode::NOT_FOUND, "no covers here").into_response();
    };
    let Ok(id) = product.parse::<i64>() else {
        return (StatusCode::BAD_REQUEST, "not a product id").into_response();
    };
    let photo = match products::get(&state.core.store, id).await {
        Ok(Some(p)) if p.is_buyable() => p.photo,
        Ok(_) => None,
        Err(e) => {
            tracing::error!(product_id = id, error = %e, "could not read a product for its cover");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again later").into_response();
        }
    };
    let Some(photo) = photo else {
        return (StatusCode::NOT_FOUND, "no cover for this product").into_response();
    };
    match crate::files::telegram::download(bot, &photo, MAX_COVER).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(product_id = id, error = %e, "could not fetch a cover from Telegram");
            (StatusCode::BAD_GATEWAY, "the cover could not be fetched").into_response()
        }
    }
}

/// Where Telegram fetches a product's cover: `<PUBLIC_URL>/covers/<id>`.
pub fn cover_url(public_url: &url::Url, product_id: i64) -> Option<url::Url> {
    let base = format!("{}/", public_url.as_str().trim_end_matches('/'));
    url::Url::parse(&base)
        .ok()?
        .join(&format!("covers/{product_id}"))
        .ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cover_url_keeps_the_public_urls_path() {
        let base = url::Url::parse("https://shop.example/souk").unwrap();
        let url = super::cover_url(&base, 7).unwrap();
        assert_eq!(url.as_str(), "https://shop.example/souk/covers/7");
    }
}
