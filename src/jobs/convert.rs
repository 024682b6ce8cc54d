//! Daily conversion: every custody coin other than the payout coin, above its dust threshold
//! (NOWPayments' minimum for the pair), is converted into the payout coin, followed to the end,
//! and reported to the admins.

use crate::payments::nowpayments::custody::Custody;
use crate::store::conversions::{self, ConversionRow};
use crate::store::outbox;
use crate::store::{Store, now};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How many times one run asks about its conversions before leaving them to the next run.
const POLL_ROUNDS: u32 = 20;

#[derive(Clone)]
pub struct Converter {
    pub store: Store,
    pub api: Arc<Custody>,
    /// The payout coin everything is converted into.
    pub currency: String,
    /// Pause between two status checks.
    pub poll_every: Duration,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConvertReport {
    pub started: usize,
    pub finished: usize,
    pub rejected: usize,
    pub pending: usize,
    pub dust: usize,
    pub errors: usize,
}

impl fmt::Display for ConvertReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} started, {} finished, {} rejected, {} pending, {} dust, {} errors",
            self.started, self.finished, self.rejected, self.pending, self.dust, self.errors
        )
    }
}

/// Pause between two checks of a conversion in progress.
const POLL_EVERY: Duration = Duration::from_secs(15);

impl Converter {
    /// The converter of a payer's custody account, into its payout coin.
    pub fn for_payer(payer: &crate::services::payouts::Payer) -> Converter {
        Converter {
            store: payer.store.clone(),
            api: payer.api.clone(),
            currency: payer.currency.clone(),
            poll_every: POLL_EVERY,
        }
    }

    pub async fn run(&self) -> Result<ConvertReport, crate::BoxError> {
        let mut report = ConvertReport::default();
        // Earlier runs' conversions are followed with this run's.
        let mut following: Vec<ConversionRow> = conversions::unfinished(&self.store).await?;
        let balances = self.api.custody_balances().await?;
        for (coin, balance) in &balances {
            let Some(amount) = balance.amount.as_ref().filter(|a| a.value() > 0.into()) else {
                continue;
            };
            if coin.eq_ignore_ascii_case(&self.currency) {
                continue;
            }
            let minimum = match self.api.conversion_minimum(coin, &self.currency).await {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(%coin, error = %e, "no conversion minimum; skipped");
                    report.errors += 1;
                    continue;
                }
            };
            if minimum.is_some_and(|m| amount.value() < m.value()) {
                report.dust += 1;
                continue;
            }
            match self
                .api
                .create_conversion(amount, coin, &self.currency)
                .await
            {
                Ok(c) => {
                    let row = ConversionRow {
                        remote_id: c.id.clone(),
                        from_currency: coin.clone(),
                        to_currency: self.currency.clone(),
                        from_amount: amount.as_str().to_string(),
                        to_amount: c.to_amount.map(|a| a.as_str().to_string()),
                        status: c.status.to_ascii_lowercase(),
                    };
                    conversions::record(&self.store, &row).await?;
                    tracing::info!(%coin, amount = %amount, id = %c.id, "conversion started");
                    report.started += 1;
                    following.push(row);
                }
                Err(e) => {
                    tracing::warn!(%coin, error = %e, "conversion refused");
                    report.errors += 1;
                }
            }
        }
        let mut lines = Vec::new();
        for round in 0..POLL_ROUNDS {
            if following.is_empty() {
                break;
            }
            if round > 0 {
                tokio::time::sleep(self.poll_every).await;
            }
            let mut still = Vec::new();
            for row in following {
                match self.api.conversion(&row.remote_id).await {
                    Ok(c) => {
                        let to_amount = c.to_amount.as_ref().map(|a| a.as_str().to_string());
                        conversions::update(
                            &self.store,
                            &row.remote_id,
                            &c.status,
                            to_amount.as_deref(),
                        )
                        .await?;
                        if conversions::is_final(&c.status) {
                            if c.status.eq_ignore_ascii_case("finished") {
                                report.finished += 1;
                            } else {
                                report.rejected += 1;
                            }
                            lines.push(format!(
                                "{} {} → {} {} ({})",
                                row.from_amount,
                                row.from_currency,
                                to_amount.unwrap_or_else(|| "?".into()),
                                row.to_currency,
                                c.status.to_ascii_uppercase()
                            ));
                        } else {
                            still.push(row);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(id = %row.remote_id, error = %e, "conversion status unknown");
                        still.push(row);
                    }
                }
            }
            following = still;
        }
        report.pending = following.len();
        if !lines.is_empty() || report.errors > 0 || report.pending > 0 {
            self.tell_admins(&report, &lines).await?;
        }
        Ok(report)
    }

    async fn tell_admins(
        &self,
        report: &ConvertReport,
        lines: &[String],
    ) -> Result<(), crate::BoxError> {
        let run = now();
        let args = [
            ("finished", report.finished.to_string()),
            ("rejected", report.rejected.to_string()),
            ("pending", report.pending.to_string()),
            ("errors", report.errors.to_string()),
            (
                "lines",
                if lines.is_empty() {
                    "-".to_string()
                } else {
                    lines.join("\n")
                },
            ),
        ];
        let queued = outbox::to_admins(
            &format!("conversion-report:{run}"),
            "admin-conversion-report",
            &args,
        );
        outbox::enqueue_now(&self.store, &[queued]).await?;
        Ok(())
    }
}
