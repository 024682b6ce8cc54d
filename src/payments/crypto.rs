//! The crypto rail: NOWPayments (or its sandbox simulator) behind `Rail`. Coins are the choices;
//! the buyer pays an address; `GET /payment/{id}` tells where a payment stands.

use super::GatewayError;
use super::currencies::{CurrencyCatalog, label};
use super::nowpayments::{PaymentGateway, PaymentRequest};
use super::rail::{
    Bill, Choice, Label, NewPayment, Notice, Presentation, Rail, Refused, STARS, Started,
};
use crate::domain::UsdCents;
use crate::store::orders::Order;
use async_trait::async_trait;
use std::sync::Arc;

pub struct CryptoRail {
    pub gateway: Arc<dyn PaymentGateway>,
    pub currencies: Arc<CurrencyCatalog>,
    /// Where NOWPayments posts IPNs (`/ipn/nowpayments`).
    pub ipn_callback_url: Option<String>,
    /// The gateway is souk's own simulator (sandbox mode).
    pub simulated: bool,
}

#[async_trait]
impl Rail for CryptoRail {
    fn name(&self) -> &'static str {
        "nowpayments"
    }

    fn presentation(&self) -> Presentation {
        Presentation::Address
    }

    async fn choices(&self) -> Result<Vec<Choice>, GatewayError> {
        Ok(self
            .currencies
            .offered()
            .await?
            .into_iter()
            .map(|coin| Choice {
                label: Label::Text(label(&coin)),
                unit: label(&coin),
                code: coin,
                needs_phone: false,
            })
            .collect())
    }

    /// Coins are whatever the operator accepts; the codes of other rails never look like one.
    fn simulated(&self) -> bool {
        self.simulated
    }

    fn serves(&self, code: &str) -> bool {
        code.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && code != STARS
    }

    async fn admits(&self, code: &str, total: UsdCents) -> Result<(), Refused> {
        let minimum = self.gateway.min_amount(code).await?;
        match minimum.usd {
            Some(min) if total.to_decimal() < min.value() => {
                Err(Refused::BelowMinimum(min.value().round_dp(2).to_string()))
            }
            _ => Ok(()),
        }
    }

    async fn start(&self, bill: &Bill<'_>) -> Result<Started, GatewayError> {
        let request = PaymentRequest {
            order_id: bill.order_id,
            price_amount: bill.total.to_decimal(),
            pay_currency: bill.code.to_string(),
            description: format!(
                "souk order {}: {}",
                bill.order_id,
                bill.title.chars().take(80).collect::<String>()
            ),
            ipn_callback_url: self.ipn_callback_url.clone(),
        };
        let created = self.gateway.create_payment(&request).await?;
        crate::metrics::inc("souk_payments_created_total", &[("currency", bill.code)]);
        Ok(Started::Payment(NewPayment {
            payment_id: created.payment_id,
            pay_to: created.pay_address,
            amount: created.pay_amount.as_str().to_string(),
            expires_at: created.expires_at,
            qr_png: None,
        }))
    }

    async fn check(&self, order: &Order) -> Result<Option<Notice>, GatewayError> {
        let Some(payment_id) = &order.payment_id else {
            return Ok(None);
        };
        let report = self.gateway.payment_status(payment_id).await?;
        Ok(Some(Notice::Report(Box::new(report))))
    }
}
