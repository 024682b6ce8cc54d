//! A built-in NOWPayments simulator for sandbox mode: same trait as the real client, and a
//! "simulate payment" that posts correctly signed IPNs to souk's own endpoint.

use super::nowpayments::signature;
use super::nowpayments::{AddressCheck, CreatedPayment, MinAmount, PaymentGateway, PaymentRequest};
use super::{Amount, GatewayError, PaymentReport, PaymentStatusBody};
use async_trait::async_trait;
use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Made-up USD prices of one coin; good enough to show realistic amounts.
const RATES: [(&str, i64); 6] = [
    ("btc", 60_000),
    ("eth", 3_000),
    ("usdttrc20", 1),
    ("sol", 150),
    ("ton", 5),
    ("ltc", 80),
];

#[derive(Debug, Clone)]
struct SimPayment {
    order_id: i64,
    status: String,
    price_amount: Decimal,
    pay_amount: String,
    pay_address: String,
    pay_currency: String,
}

pub struct Simulator {
    payments: Mutex<HashMap<String, SimPayment>>,
    next_id: AtomicU64,
    ipn_url: String,
    ipn_secret: SecretString,
    http: reqwest::Client,
    step_delay: Duration,
}

impl Simulator {
    /// `ipn_url` is souk's own `/ipn/nowpayments`; IPNs are signed with `ipn_secret`.
    pub fn new(ipn_url: String, ipn_secret: SecretString, step_delay: Duration) -> Simulator {
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Simulator {
            payments: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(start * 1000),
            ipn_url,
            ipn_secret,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("reqwest client builds"),
            step_delay,
        }
    }

    fn payments(&self) -> std::sync::MutexGuard<'_, HashMap<String, SimPayment>> {
        self.payments.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Drives a payment through confirming → finished by posting signed IPNs, as NOWPayments would.
    /// The payment's details come from the order, so this also works after a restart.
    pub fn simulate(self: &std::sync::Arc<Self>, order: &crate::store::orders::Order) {
        let (Some(payment_id), Some(pay_amount), Some(pay_address)) = (
            order.payment_id.clone(),
            order.pay_amount.clone(),
            order.pay_address.clone(),
        ) else {
            return;
        };
        let sim = SimPayment {
            order_id: order.id,
            status: "waiting".into(),
            price_amount: order.total.to_decimal(),
            pay_amount,
            pay_address,
            pay_currency: order.pay_currency.clone(),
        };
        let this = self.clone();
        tokio::spawn(async move {
            for status in ["confirming", "finished"] {
                tokio::time::sleep(this.step_delay).await;
                this.payments().insert(
                    payment_id.clone(),
                    SimPayment {
                        status: status.into(),
                        ..sim.clone()
                    },
                );
                if let Err(e) = this.post_ipn(&payment_id, &sim, status).await {
                    tracing::warn!(payment_id, status, error = %e, "sandbox IPN was not accepted");
                }
            }
        });
    }

    async fn post_ipn(&self, payment_id: &str, p: &SimPayment, status: &str) -> Result<(), String> {
        let body = ipn_body(payment_id, p, status);
        let sig =
            signature::sign(self.ipn_secret.expose_secret(), &body).map_err(|e| e.to_string())?;
        let resp = self
            .http
            .post(&self.ipn_url)
            .header("content-type", "application/json")
            .header("x-nowpayments-sig", sig)
            .body(body)
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(format!("HTTP {}", resp.status().as_u16()))
        }
    }
}

/// An IPN body in NOWPayments' own shape and field order.
fn ipn_body(payment_id: &str, p: &SimPayment, status: &str) -> String {
    let raw = |text: &str| serde_json::value::RawValue::from_string(text.to_string()).ok();
    let paid = if status == "waiting" {
        "0".to_string()
    } else {
        p.pay_amount.clone()
    };
    json!({
        "payment_id": raw(payment_id),
        "parent_payment_id": null,
        "invoice_id": null,
        "payment_status": status,
        "pay_address": p.pay_address,
        "payin_extra_id": null,
        "price_amount": raw(&p.price_amount.to_string()),
        "price_currency": "usd",
        "pay_amount": raw(&p.pay_amount),
        "actually_paid": raw(&paid),
        "actually_paid_at_fiat": 0,
        "pay_currency": p.pay_currency,
        "order_id": p.order_id.to_string(),
        "order_description": "sandbox",
        "purchase_id": payment_id,
        "outcome_amount": raw(&p.pay_amount),
        "outcome_currency": p.pay_currency,
        "payment_extra_ids": null,
        "fee": {"currency": p.pay_currency, "depositFee": 0, "withdrawalFee": 0, "serviceFee": 0},
        "updated_at": 0
    })
    .to_string()
}

#[async_trait]
impl PaymentGateway for Simulator {
    async fn status(&self) -> Result<(), GatewayError> {
        Ok(())
    }

    async fn currencies(&self) -> Result<Vec<String>, GatewayError> {
        Ok(RATES.iter().map(|(c, _)| c.to_string()).collect())
    }

    async fn min_amount(&self, _pay_currency: &str) -> Result<MinAmount, GatewayError> {
        Ok(MinAmount {
            usd: Amount::parse("1.00"),
        })
    }

    async fn create_payment(&self, r: &PaymentRequest) -> Result<CreatedPayment, GatewayError> {
        let rate = RATES
            .iter()
            .find(|(c, _)| *c == r.pay_currency)
            .map(|(_, usd)| *usd)
            .ok_or_else(|| GatewayError::Rejected {
                status: 400,
                code: "INVALID_REQUEST_PARAMS".into(),
                message: "currency not supported".into(),
            })?;
        let amount = (r.price_amount / Decimal::from(rate))
            .round_dp(8)
            .normalize();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed).to_string();
        let address = format!(
            "sandbox{}{}",
            r.pay_currency,
            &id[id.len().saturating_sub(6)..]
        );
        let payment = SimPayment {
            order_id: r.order_id,
            status: "waiting".into(),
            price_amount: r.price_amount,
            pay_amount: amount.to_string(),
            pay_address: address.clone(),
            pay_currency: r.pay_currency.clone(),
        };
        self.payments().insert(id.clone(), payment);
        Ok(CreatedPayment {
            payment_id: id,
            pay_address: address,
            pay_amount: Amount::from_decimal(amount),
            expires_at: None,
        })
    }

    async fn validate_address(
        &self,
        currency: &str,
        address: &str,
    ) -> Result<AddressCheck, GatewayError> {
        Ok(match super::address::format_problem(currency, address) {
            None => AddressCheck::Valid,
            Some(why) => AddressCheck::Invalid(why.to_string()),
        })
    }

    async fn payment_status(&self, payment_id: &str) -> Result<PaymentReport, GatewayError> {
        let p = self
            .payments()
            .get(payment_id)
            .cloned()
            .ok_or(GatewayError::NotFound)?;
        let body = ipn_body(payment_id, &p, &p.status);
        PaymentStatusBody::read(&body, true).map_err(GatewayError::BadResponse)
    }
}
