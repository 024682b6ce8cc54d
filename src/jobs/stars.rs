//! The Stars ledger check, every 5 minutes: Telegram sends `successful_payment` once, so a
//! payment whose update failed (a database error) or was lost would never settle. The bot's own
//! Star ledger (`getStarTransactions`, oldest first) is read from where the last run stopped, and
//! every incoming invoice payment goes through `services::stars::take_charge`: settled once, or
//! refunded when another charge paid its order. A refund Telegram refused is kept owed and tried
//! again at each run.

use crate::payments::stars::ledger_page;
use crate::services::settlement::Settler;
use crate::services::stars::{self, Paid};
use crate::store::{StoreError, cursors, star_refunds};

/// The cursor over the bot's Star transactions.
const CURSOR: &str = "stars-ledger";
/// Transactions asked for at a time (Telegram's maximum).
const PAGE: u8 = 100;

#[derive(Clone)]
pub struct StarsLedger {
    pub settler: Settler,
    pub bot: teloxide::Bot,
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Ledger entries read.
    pub read: usize,
    /// Invoice payments looked at (most were settled already by their update).
    pub charges: usize,
    /// Second charges given back.
    pub refunded: usize,
    pub errors: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "read {}, charges {}, refunded {}, errors {}",
            self.read, self.charges, self.refunded, self.errors
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StarsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Telegram did not list the Star transactions: {0}")]
    Telegram(#[from] teloxide::RequestError),
}

impl StarsLedger {
    pub async fn run(&self) -> Result<Report, StarsError> {
        let mut report = Report::default();
        // Second charges Telegram would not refund before: try again.
        for owed in star_refunds::owed(self.settler.store()).await? {
            match stars::give_back(&self.settler, &self.bot, &owed).await? {
                Paid::PaidTwice => report.refunded += 1,
                _ => report.errors += 1,
            }
        }
        let mut offset = cursors::position(self.settler.store(), CURSOR).await?;
        loop {
            let at = u32::try_from(offset).unwrap_or(u32::MAX);
            let (count, charges) = ledger_page(&self.bot, at, PAGE).await?;
            for charge in &charges {
                report.charges += 1;
                match stars::take_charge(&self.settler, &self.bot, charge).await? {
                    Paid::PaidTwice => report.refunded += 1,
                    // Kept owed: the next run tries again.
                    Paid::RefundFailed => report.errors += 1,
                    Paid::UnknownOrder => {
                        tracing::warn!(charge = charge.charge, "a Stars charge names no order")
                    }
                    Paid::Settled => {}
                }
            }
            report.read += count;
            offset += count as i64;
            cursors::advance(self.settler.store(), CURSOR, offset).await?;
            if count < usize::from(PAGE) {
                break;
            }
        }
        Ok(report)
    }
}
