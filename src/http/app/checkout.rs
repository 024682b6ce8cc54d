//! Checkout from the Mini App: the same `services::checkout` as the chat, on every rail. Stars:
//! an invoice link the page opens with `Telegram.WebApp.openInvoice`; crypto: the address, the
//! exact amount and the payment URI (the page draws the QR code and polls the order's status);
//! mobile money: the provider's checkout link the page opens with `openLink`. Delivery and the
//! receipt go to the chat, as for any order, so nothing depends on the page staying open.

use super::Session;
use crate::domain::phone::PhoneNumber;
use crate::http::HttpState;
use crate::payments::rail::Presentation;
use crate::services::checkout::{Buyer, CheckoutError};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct CheckoutRequest {
    product: i64,
    /// The way to pay, as `/api/app/ways` names it (`xtr`, `btc`, `mm_wave`, …).
    code: String,
    /// International format, for mobile money.
    #[serde(default)]
    phone: Option<String>,
}

/// What the page shows to have the order paid.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToPay {
    Invoice {
        order: i64,
        link: String,
        stars: u32,
    },
    Address {
        order: i64,
        coin: String,
        amount: String,
        address: String,
        uri: String,
        /// The QR code of the payment URI, as a `data:` PNG.
        qr: Option<String>,
        /// "Send exactly … to this address", in the buyer's language.
        instructions: String,
    },
    Link {
        order: i64,
        url: String,
    },
}

/// A refused checkout: a status, a stable reason and its text in the buyer's language.
#[derive(Serialize)]
pub struct CheckoutRefused {
    error: &'static str,
    message: String,
}

type Refusal = (StatusCode, Json<CheckoutRefused>);

fn refused(session: &Session, status: StatusCode, key: &'static str) -> Refusal {
    refused_with(session, status, key, &[])
}

fn refused_with(
    session: &Session,
    status: StatusCode,
    key: &'static str,
    args: &[(&str, String)],
) -> Refusal {
    let message = crate::i18n::tr(&session.lang, key, args);
    (
        status,
        Json(CheckoutRefused {
            error: key,
            message,
        }),
    )
}

/// Creates (or reuses) the buyer's order for the product and has its rail bill it.
pub async fn checkout(
    session: Session,
    State(state): State<HttpState>,
    Json(req): Json<CheckoutRequest>,
) -> Result<Json<ToPay>, Refusal> {
    let Some(app) = &state.app else {
        return Err(refused(&session, StatusCode::NOT_FOUND, "error-generic"));
    };
    let phone = match req.phone.as_deref().map(PhoneNumber::parse) {
        Some(None) => return Err(refused(&session, StatusCode::BAD_REQUEST, "phone-invalid")),
        Some(Some(p)) => Some(p),
        None => None,
    };
    let buyer = Buyer {
        id: session.user_id,
        name: &session.first_name,
        phone: phone.as_ref().map(PhoneNumber::as_str),
    };
    let payable = match app.checkout.start(&buyer, req.product, &req.code).await {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(product_id = req.product, code = %req.code, error = %e, "Mini App checkout failed");
            if let CheckoutError::BelowMinimum { minimum_usd } = &e {
                let args = [
                    ("coin", req.code.to_ascii_uppercase()),
                    ("minimum", minimum_usd.clone()),
                ];
                return Err(refused_with(
                    &session,
                    StatusCode::BAD_REQUEST,
                    "below-minimum",
                    &args,
                ));
            }
            let (status, key) = match e {
                CheckoutError::ProductUnavailable => (StatusCode::NOT_FOUND, "product-unavailable"),
                CheckoutError::Banned => (StatusCode::FORBIDDEN, "account-banned"),
                CheckoutError::SoldOut => (StatusCode::CONFLICT, "sold-out"),
                CheckoutError::CurrencyNotOffered => {
                    (StatusCode::BAD_REQUEST, "currency-not-offered")
                }
                CheckoutError::PhoneNeeded => (StatusCode::BAD_REQUEST, "phone-invalid"),
                CheckoutError::BelowMinimum { .. } => (StatusCode::BAD_REQUEST, "below-minimum"),
                CheckoutError::Coupon(_) => (StatusCode::BAD_REQUEST, "coupon-unknown"),
                CheckoutError::Provider(_) => (StatusCode::BAD_GATEWAY, "provider-down"),
                CheckoutError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "error-generic"),
            };
            return Err(refused(&session, status, key));
        }
    };
    let order = payable.order.id;
    let to_pay = match payable.presentation {
        Presentation::Invoice => {
            let Some(bot) = &state.bot else {
                return Err(refused(&session, StatusCode::BAD_GATEWAY, "provider-down"));
            };
            let label = crate::i18n::tr(
                &session.lang,
                "stars-price-label",
                &[("order", order.to_string())],
            );
            let link =
                crate::services::stars::invoice_link(bot, &payable, label, app.public_url.as_ref())
                    .await
                    .map_err(|e| {
                        tracing::warn!(order_id = order, error = %e, "no invoice link");
                        refused(&session, StatusCode::BAD_GATEWAY, "provider-down")
                    })?;
            ToPay::Invoice {
                order,
                link,
                stars: payable.stars.unwrap_or_default(),
            }
        }
        Presentation::Address => {
            let address = payable.order.pay_address.clone().unwrap_or_default();
            let amount = payable.order.pay_amount.clone().unwrap_or_default();
            let uri =
                crate::payments::uri::payment_uri(&payable.order.pay_currency, &address, &amount);
            let qr = crate::bot::qr::png(&uri).map(|png| {
                use base64::Engine;
                let encoded = base64::engine::general_purpose::STANDARD.encode(png);
                format!("data:image/png;base64,{encoded}")
            });
            let coin = payable.choice.unit.clone();
            let instructions = crate::i18n::tr(
                &session.lang,
                "app-send-exactly",
                &[("amount", amount.clone()), ("coin", coin.clone())],
            );
            ToPay::Address {
                order,
                coin,
                uri,
                qr,
                instructions,
                amount,
                address,
            }
        }
        Presentation::Link => ToPay::Link {
            order,
            url: payable.order.pay_address.clone().unwrap_or_default(),
        },
    };
    Ok(Json(to_pay))
}
