//! The mobile-money rail: Wave and Orange Money through an operator's NexPay instance. A payment
//! is a NexPay session (its id is the order's payment id) checked out with a provider; NexPay
//! notifies `/ipn/nexpay` with a shared secret in a header, and sessions are polled because
//! NexPay never retries a webhook.

pub mod client;
mod webhook;

use super::GatewayError;
use super::rail::{Bill, Choice, Label, NewPayment, Notice, Presentation, Rail, Started};
use crate::domain::price::whole_units_for;
use crate::store::orders::Order;
use async_trait::async_trait;
use base64::Engine;
use client::{NexpayClient, SessionRequest, SessionState};
use rust_decimal::Decimal;

/// How often reconciliation asks NexPay about an open session (its job runs every 5 minutes).
pub const CHECK_EVERY_SECS: i64 = 300;

/// The providers NexPay offers: (order `pay_currency`, NexPay's provider code, button key).
const PROVIDERS: [(&str, &str, &str); 2] = [
    ("mm_wave", "wave", "button-wave"),
    ("mm_om", "om", "button-orange-money"),
];

pub use crate::config::NexpayConfig;

pub struct NexpayRail {
    client: NexpayClient,
    config: NexpayConfig,
}

impl NexpayRail {
    pub fn new(config: NexpayConfig) -> NexpayRail {
        NexpayRail {
            client: NexpayClient::new(&config.url, config.write_key.clone()),
            config,
        }
    }
}

fn provider_of(code: &str) -> Option<&'static str> {
    PROVIDERS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, p, _)| *p)
}

#[async_trait]
impl Rail for NexpayRail {
    fn name(&self) -> &'static str {
        "nexpay"
    }

    fn presentation(&self) -> Presentation {
        Presentation::Link
    }

    async fn choices(&self) -> Result<Vec<Choice>, GatewayError> {
        Ok(PROVIDERS
            .iter()
            .map(|(code, _, key)| Choice {
                code: code.to_string(),
                label: Label::Key(key),
                unit: self.config.currency.clone(),
                needs_phone: true,
            })
            .collect())
    }

    fn serves(&self, code: &str) -> bool {
        provider_of(code).is_some()
    }

    async fn start(&self, bill: &Bill<'_>) -> Result<Started, GatewayError> {
        let provider = provider_of(bill.code).ok_or(GatewayError::NotConfigured("provider"))?;
        let phone = bill.phone.ok_or(GatewayError::NotConfigured("phone"))?;
        let amount = whole_units_for(bill.total, self.config.usd_rate)
            .ok_or_else(|| GatewayError::BadResponse("price out of range".into()))?;
        let session = self
            .client
            .open_session(&SessionRequest {
                amount,
                currency: self.config.currency.clone(),
                phone: phone.to_string(),
                name: bill.buyer_name.chars().take(100).collect(),
                client_reference: bill.order_id.to_string(),
                project_id: self.config.project_id.clone(),
                metadata: serde_json::json!({ "souk_order": bill.order_id }),
            })
            .await?;
        let payment = self.client.checkout(&session.id, provider).await?;
        let url = payment
            .checkout_urls
            .first()
            .map(|u| u.url.clone())
            .ok_or_else(|| GatewayError::BadResponse("NexPay gave no checkout URL".into()))?;
        let qr_png = payment.qr_code.and_then(|q| q.data).and_then(|d| {
            let d = d.rsplit_once(',').map(|(_, b)| b.to_string()).unwrap_or(d);
            base64::engine::general_purpose::STANDARD.decode(d).ok()
        });
        tracing::info!(order_id = bill.order_id, session = %session.id, reference = %payment.reference, provider, "NexPay payment started");
        crate::metrics::inc("souk_payments_created_total", &[("currency", bill.code)]);
        Ok(Started::Payment(NewPayment {
            payment_id: session.id,
            pay_to: url,
            amount: amount.to_string(),
            // The session's end, not the provider link's: until then a 404 means "resolved".
            expires_at: session.expires_at.or(payment.expiration),
            qr_png,
        }))
    }

    /// Sessions last an hour, and NexPay answers 404 for one that is resolved or past its
    /// expiry alike: asking often makes a 404 before the expiry (resolved, news lost) likely.
    fn check_every(&self) -> i64 {
        CHECK_EVERY_SECS
    }

    fn amount_due(&self, order: &Order) -> Option<Decimal> {
        whole_units_for(order.total, self.config.usd_rate).map(Decimal::from)
    }

    async fn check(&self, order: &Order) -> Result<Option<Notice>, GatewayError> {
        let Some(session) = &order.payment_id else {
            return Ok(None);
        };
        // NexPay serves only open sessions: one it serves is still waiting for the buyer.
        match self.client.session(session).await? {
            SessionState::Open => Ok(None),
            SessionState::Gone => Ok(Some(Notice::Closed { order_id: order.id })),
        }
    }

    async fn webhook(
        &self,
        headers: &axum::http::HeaderMap,
        body: &[u8],
    ) -> Result<Vec<Notice>, super::rail::WebhookError> {
        webhook::read(self, headers, body).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_has_its_own_code() {
        assert_eq!(provider_of("mm_wave"), Some("wave"));
        assert_eq!(provider_of("mm_om"), Some("om"));
        assert_eq!(provider_of("om"), None);
    }
}
