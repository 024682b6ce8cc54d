//! The NOWPayments payment API (`PaymentGateway`): currencies, minimums, payments and their
//! status, address checks.

use super::gateway::{AddressCheck, CreatedPayment, MinAmount, PaymentGateway, PaymentRequest};
use super::transport::{Transport, parse, path_id};
use super::wire::{CreatedPaymentBody, CurrenciesBody, MinAmountBody, PaymentStatusBody};
use crate::payments::{GatewayError, PaymentReport};
use async_trait::async_trait;
use reqwest::Method;
use secrecy::SecretString;
use serde::Serialize;
use serde_json::value::RawValue;

/// The payment API of `NOWPAYMENTS_API_URL`, with the API key.
pub struct NowPaymentsClient {
    transport: Transport,
}

impl NowPaymentsClient {
    pub fn new(base: &str, api_key: SecretString) -> NowPaymentsClient {
        NowPaymentsClient {
            transport: Transport::new(base, api_key),
        }
    }
}

#[async_trait]
impl PaymentGateway for NowPaymentsClient {
    async fn status(&self) -> Result<(), GatewayError> {
        self.transport
            .call_once(Method::GET, "/status", None, None)
            .await
            .map(|_| ())
    }

    async fn currencies(&self) -> Result<Vec<String>, GatewayError> {
        let body: CurrenciesBody = parse(&self.transport.get("/currencies").await?)?;
        Ok(body
            .currencies
            .into_iter()
            .map(|c| c.to_ascii_lowercase())
            .collect())
    }

    async fn min_amount(&self, pay_currency: &str) -> Result<MinAmount, GatewayError> {
        let path = format!(
            "/min-amount?currency_from={pay_currency}&currency_to={pay_currency}&fiat_equivalent=usd"
        );
        let body: MinAmountBody = parse(&self.transport.get(&path).await?)?;
        Ok(MinAmount {
            usd: body.fiat_equivalent,
        })
    }

    async fn create_payment(&self, r: &PaymentRequest) -> Result<CreatedPayment, GatewayError> {
        let body = CreatePaymentBody {
            price_amount: RawValue::from_string(r.price_amount.to_string())
                .map_err(|e| GatewayError::BadResponse(e.to_string()))?,
            price_currency: "usd",
            pay_currency: &r.pay_currency,
            order_id: r.order_id.to_string(),
            order_description: &r.description,
            ipn_callback_url: r.ipn_callback_url.as_deref(),
        };
        let body =
            serde_json::to_string(&body).map_err(|e| GatewayError::BadResponse(e.to_string()))?;
        let text = self
            .transport
            .call_once(Method::POST, "/payment", Some(body), None)
            .await?;
        let created: CreatedPaymentBody = parse(&text)?;
        let pay_amount = created
            .pay_amount
            .ok_or_else(|| GatewayError::BadResponse("payment has no pay_amount".into()))?;
        Ok(CreatedPayment {
            payment_id: created.payment_id,
            pay_address: created.pay_address,
            pay_amount,
            expires_at: created.expiration_estimate_date.or(created.valid_until),
        })
    }

    async fn validate_address(
        &self,
        currency: &str,
        address: &str,
    ) -> Result<AddressCheck, GatewayError> {
        let body = serde_json::json!({ "address": address, "currency": currency }).to_string();
        match self
            .transport
            .call_once(Method::POST, "/payout/validate-address", Some(body), None)
            .await
        {
            // NOWPayments answers the plain text OK (sometimes quoted) when the address is valid.
            Ok(text) if super::wire::is_plain_ok(&text) => Ok(AddressCheck::Valid),
            Ok(other) => Err(GatewayError::BadResponse(format!(
                "unexpected answer {:?}",
                other.chars().take(80).collect::<String>()
            ))),
            Err(GatewayError::Rejected {
                status: 400,
                message,
                ..
            }) => Ok(AddressCheck::Invalid(message)),
            Err(e) => Err(e),
        }
    }

    async fn payment_status(&self, payment_id: &str) -> Result<PaymentReport, GatewayError> {
        let text = self
            .transport
            .get(&format!("/payment/{}", path_id(payment_id)?))
            .await?;
        PaymentStatusBody::read(&text, true).map_err(GatewayError::BadResponse)
    }
}

/// `POST /payment`'s body. `price_amount` is written as the exact decimal text, never via a float.
#[derive(Serialize)]
struct CreatePaymentBody<'a> {
    price_amount: Box<RawValue>,
    price_currency: &'a str,
    pay_currency: &'a str,
    order_id: String,
    order_description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ipn_callback_url: Option<&'a str>,
}
