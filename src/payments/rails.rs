//! The configured payment rails (`Rails`): built once from the configuration, in keyboard order,
//! and asked which rail serves an order or a button.

use super::GatewayError;
use super::rail::{Choice, Rail};
use std::sync::Arc;

/// Every configured rail, in keyboard order (Stars first, as Telegram's rules ask).
#[derive(Clone, Default)]
pub struct Rails(Vec<Arc<dyn Rail>>);

impl Rails {
    /// The rails the configuration turns on: Stars first (Telegram's rules for digital goods),
    /// then mobile money, then the coins NOWPayments (`gateway`) takes.
    pub fn from_config(
        config: &crate::config::Config,
        gateway: Arc<dyn super::nowpayments::PaymentGateway>,
        ipn_callback_url: Option<String>,
    ) -> Rails {
        let mut rails: Vec<Arc<dyn Rail>> = Vec::new();
        if let Some(per_usd) = config.stars_per_usd {
            rails.push(Arc::new(super::stars::StarsRail { per_usd }));
        }
        if let Some(nexpay) = &config.nexpay {
            rails.push(Arc::new(super::nexpay::NexpayRail::new(nexpay.clone())));
        }
        if config.crypto() {
            rails.push(Arc::new(super::crypto::CryptoRail {
                currencies: Arc::new(super::currencies::CurrencyCatalog::new(
                    gateway.clone(),
                    config.accepted_currencies.clone(),
                )),
                gateway,
                ipn_callback_url,
                simulated: config.sandbox(),
            }));
        }
        Rails(rails)
    }

    /// The configured rails' names (`stars`, `nexpay`, `crypto`), in keyboard order.
    pub fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|r| r.name()).collect()
    }

    /// The rail an order's `pay_currency` belongs to.
    pub fn for_code(&self, code: &str) -> Option<&Arc<dyn Rail>> {
        self.0.iter().find(|r| r.serves(code))
    }

    pub fn named(&self, name: &str) -> Option<&Arc<dyn Rail>> {
        self.0.iter().find(|r| r.name() == name)
    }

    /// The choice `code` names, with its rail, if that rail offers it now.
    pub async fn choice(
        &self,
        code: &str,
    ) -> Result<Option<(Arc<dyn Rail>, Choice)>, GatewayError> {
        let Some(rail) = self.for_code(code) else {
            return Ok(None);
        };
        let choice = rail.choices().await?.into_iter().find(|c| c.code == code);
        Ok(choice.map(|c| (rail.clone(), c)))
    }

    /// Every rail's choices. A rail that cannot answer is left out (and logged): the others
    /// are still offered. The error is returned only when no rail offers anything.
    pub async fn choices(&self) -> Result<Vec<Choice>, GatewayError> {
        let mut all = Vec::new();
        let mut failure = None;
        for rail in &self.0 {
            match rail.choices().await {
                Ok(c) => all.extend(c),
                Err(e) => {
                    tracing::warn!(rail = rail.name(), error = %e, "payment choices unavailable");
                    failure = Some(e);
                }
            }
        }
        match failure {
            Some(e) if all.is_empty() => Err(e),
            _ => Ok(all),
        }
    }
}
