//! Reconciliation (`/reconcile`): souk's books matched against each provider's own:
//! NOWPayments' payment list and payouts, and the bot's Star transactions. Every difference is
//! listed: money a provider has that souk never settled, an order souk settled that the
//! provider does not know, a price that differs, a payout whose amount or outcome differs. An
//! empty report is the proof that every cent is accounted for.

use crate::domain::{OrderStatus, UsdCents};
use crate::payments::GatewayError;
use crate::payments::nowpayments::custody::Custody;
use crate::payments::rails::Rails;
use crate::store::{Store, StoreError, books, payouts};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// A provider holds money for a payment souk never settled.
    Unsettled {
        rail: &'static str,
        payment: String,
        order: Option<i64>,
        price: String,
        status: String,
    },
    /// Souk settled an order its provider does not list.
    Unknown {
        rail: &'static str,
        order: i64,
        payment: String,
    },
    /// Telegram's charge is for another number of Stars than the order asked.
    StarsDiffer {
        order: i64,
        charge: String,
        souk: String,
        telegram: u32,
    },
    /// NOWPayments' price differs from the order's total.
    AmountDiffers {
        order: i64,
        payment: String,
        souk: UsdCents,
        provider: String,
    },
    /// A payout's amount or outcome differs from the withdrawal's.
    PayoutDiffers {
        payout: i64,
        withdrawal: String,
        souk: String,
        provider: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub payments: usize,
    pub payouts: usize,
    pub differences: Vec<Difference>,
}

#[derive(Debug, thiserror::Error)]
pub enum BooksError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Provider(#[from] GatewayError),
}

/// Payment states in which NOWPayments holds the buyer's money.
const MONEY_IN: [&str; 4] = ["finished", "confirmed", "sending", "partially_paid"];

/// Matches `[from, to)` (unix seconds) of souk's books against NOWPayments'.
pub async fn reconcile(
    store: &Store,
    rails: &Rails,
    custody: &Custody,
    from: i64,
    to: i64,
) -> Result<Report, BooksError> {
    let mut report = Report::default();
    let listed = custody.list_payments(from, to).await?;
    report.payments = listed.len();
    for p in &listed {
        if !MONEY_IN.contains(&p.status.as_str()) {
            continue;
        }
        let booked = books::by_payment(store, &p.payment_id).await?;
        let settled = booked.as_ref().is_some_and(|b| is_settled(b.status));
        match booked {
            Some(b) if settled => {
                if cents_of(&p.price_amount) != Some(b.total.0) {
                    report.differences.push(Difference::AmountDiffers {
                        order: b.order_id,
                        payment: p.payment_id.clone(),
                        souk: b.total,
                        provider: p.price_amount.clone(),
                    });
                }
            }
            other => report.differences.push(Difference::Unsettled {
                rail: "nowpayments",
                payment: p.payment_id.clone(),
                order: other.map(|b| b.order_id),
                price: p.price_amount.clone(),
                status: p.status.clone(),
            }),
        }
    }
    for b in books::settled_between(store, from, to).await? {
        let on_nowpayments =
            rails.for_code(&b.pay_currency).map(|r| r.name()) == Some("nowpayments");
        if on_nowpayments && !listed.iter().any(|p| p.payment_id == b.payment_id) {
            report.differences.push(Difference::Unknown {
                rail: "nowpayments",
                order: b.order_id,
                payment: b.payment_id,
            });
        }
    }
    payouts_against(store, custody, from, to, &mut report).await?;
    Ok(report)
}

/// Whether souk took the money of an order (delivered, waiting for stock, refunded, or part paid).
fn is_settled(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Finished
            | OrderStatus::PaidSoldOut
            | OrderStatus::Refunded
            | OrderStatus::PartiallyPaid
    )
}

/// The bot's incoming Star payments (all of them: Telegram lists no dates here) against souk's
/// Stars orders credited in `[from, to)`.
pub async fn stars_against(
    store: &Store,
    charges: &[crate::payments::stars::IncomingCharge],
    from: i64,
    to: i64,
    report: &mut Report,
) -> Result<(), BooksError> {
    report.payments += charges.len();
    for c in charges {
        match books::by_payment(store, &c.charge).await? {
            Some(b) if is_settled(b.status) => {
                let asked = b.pay_amount.clone().unwrap_or_default();
                if asked.parse::<u32>().ok() != Some(c.stars) {
                    report.differences.push(Difference::StarsDiffer {
                        order: b.order_id,
                        charge: c.charge.clone(),
                        souk: asked,
                        telegram: c.stars,
                    });
                }
            }
            other => report.differences.push(Difference::Unsettled {
                rail: "stars",
                payment: c.charge.clone(),
                order: other.map(|b| b.order_id),
                price: c.stars.to_string(),
                status: "paid".into(),
            }),
        }
    }
    for b in books::settled_between(store, from, to).await? {
        let stars = b.pay_currency == crate::payments::rail::STARS;
        if stars && !charges.iter().any(|c| c.charge == b.payment_id) {
            report.differences.push(Difference::Unknown {
                rail: "stars",
                order: b.order_id,
                payment: b.payment_id,
            });
        }
    }
    Ok(())
}

/// Each payout souk sent in the period against NOWPayments' withdrawal of the same id.
async fn payouts_against(
    store: &Store,
    custody: &Custody,
    from: i64,
    to: i64,
    report: &mut Report,
) -> Result<(), BooksError> {
    let ours = payouts::with_withdrawals_between(store, from, to).await?;
    report.payouts = ours.len();
    if ours.is_empty() {
        return Ok(());
    }
    let mut theirs = Vec::new();
    for page in 0.. {
        let batch = custody.list_payouts(page, 500).await?;
        let done = batch.len() < 500;
        theirs.extend(batch);
        if done {
            break;
        }
    }
    for p in ours {
        let id = p.withdrawal_id.clone().unwrap_or_default();
        let Some(w) = theirs.iter().find(|w| w.id == id) else {
            report.differences.push(Difference::PayoutDiffers {
                payout: p.id,
                withdrawal: id,
                souk: p.amount.to_string(),
                provider: "-".into(),
            });
            continue;
        };
        let amount = w
            .amount
            .as_ref()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default();
        let failed_there = matches!(
            w.status.to_ascii_uppercase().as_str(),
            "FAILED" | "REJECTED"
        );
        let failed_here = p.status.as_str() == "failed";
        if cents_of(&amount) != Some(p.amount.0) || failed_there != failed_here {
            report.differences.push(Difference::PayoutDiffers {
                payout: p.id,
                withdrawal: id,
                souk: format!("{} {}", p.amount, p.status.as_str()),
                provider: format!("{amount} {}", w.status),
            });
        }
    }
    Ok(())
}

/// A dollar amount's exact cents, when it has at most two decimals.
fn cents_of(text: &str) -> Option<i64> {
    let d: Decimal = text.trim().parse().ok()?;
    let cents = (d * Decimal::ONE_HUNDRED).normalize();
    if !cents.fract().is_zero() {
        return None;
    }
    i64::try_from(cents.mantissa() / 10i128.pow(cents.scale())).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_compare_to_the_cent() {
        assert_eq!(super::cents_of("12.85"), Some(1285));
        assert_eq!(super::cents_of("12.850"), Some(1285));
        assert_eq!(super::cents_of("25"), Some(2500));
        assert_eq!(super::cents_of("12.855"), None);
        assert_eq!(super::cents_of("x"), None);
    }
}
