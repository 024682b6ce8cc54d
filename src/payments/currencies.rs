//! Which coins a buyer is offered: the accepted list, limited to what NOWPayments lists, cached an hour.

use super::GatewayError;
use super::nowpayments::PaymentGateway;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const CACHE_FOR: Duration = Duration::from_secs(3600);

pub struct CurrencyCatalog {
    gateway: Arc<dyn PaymentGateway>,
    accepted: Vec<String>,
    cache: Mutex<Option<(Instant, Vec<String>)>>,
}

impl CurrencyCatalog {
    pub fn new(gateway: Arc<dyn PaymentGateway>, accepted: Vec<String>) -> CurrencyCatalog {
        CurrencyCatalog {
            gateway,
            accepted,
            cache: Mutex::new(None),
        }
    }

    /// Accepted coins that the provider lists now, in the operator's order. When the provider
    /// cannot be reached, a stale list is better than none; with no list at all, the error.
    pub async fn offered(&self) -> Result<Vec<String>, GatewayError> {
        let mut cache = self.cache.lock().await;
        let listed = match cache.as_ref() {
            Some((at, list)) if at.elapsed() < CACHE_FOR => list.clone(),
            stale => match self.gateway.currencies().await {
                Ok(list) => {
                    *cache = Some((Instant::now(), list.clone()));
                    list
                }
                Err(e) => match stale {
                    Some((_, list)) => {
                        tracing::warn!(error = %e, "using a stale currency list");
                        list.clone()
                    }
                    None => return Err(e),
                },
            },
        };
        Ok(self
            .accepted
            .iter()
            .filter(|c| listed.contains(c))
            .cloned()
            .collect())
    }
}

/// A coin's button label: the ticker in capitals, with the network for tokens ("USDT (TRC20)").
pub fn label(ticker: &str) -> String {
    let upper = ticker.to_ascii_uppercase();
    for (prefix, network) in [
        ("USDT", "TRC20"),
        ("USDT", "ERC20"),
        ("USDT", "BSC"),
        ("USDT", "SOL"),
        ("USDC", "ERC20"),
        ("USDC", "SOL"),
    ] {
        if upper == format!("{prefix}{network}") {
            return format!("{prefix} ({network})");
        }
    }
    upper
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_hold_the_ticker_in_capitals() {
        assert_eq!(super::label("btc"), "BTC");
        assert_eq!(super::label("usdttrc20"), "USDT (TRC20)");
        assert_eq!(super::label("ton"), "TON");
    }
}
