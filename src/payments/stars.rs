//! The Telegram Stars rail (currency XTR): Telegram bills the buyer with an invoice in the chat,
//! so nothing is created up front and there is nothing to ask later; `successful_payment` settles
//! the order (see `services::stars`). A charge id on an open order means that settling was
//! interrupted after Telegram confirmed the payment: a status check finishes it.

use super::GatewayError;
use super::rail::{Bill, Choice, Label, Notice, Presentation, Rail, STARS, Started};
use crate::domain::OrderStatus;
use crate::domain::price::stars_for;
use crate::domain::report::Amount;
use crate::store::orders::Order;
use async_trait::async_trait;
use rust_decimal::Decimal;

pub struct StarsRail {
    /// `STARS_PER_USD`.
    pub per_usd: Decimal,
}

#[async_trait]
impl Rail for StarsRail {
    fn name(&self) -> &'static str {
        "stars"
    }

    fn presentation(&self) -> Presentation {
        Presentation::Invoice
    }

    async fn choices(&self) -> Result<Vec<Choice>, GatewayError> {
        Ok(vec![Choice {
            code: STARS.to_string(),
            label: Label::Key("button-stars"),
            unit: "XTR".to_string(),
            needs_phone: false,
        }])
    }

    fn serves(&self, code: &str) -> bool {
        code == STARS
    }

    /// The invoice's price in whole Stars.
    fn amount_due(&self, order: &Order) -> Option<Decimal> {
        stars_for(order.total, self.per_usd).map(Decimal::from)
    }

    async fn start(&self, bill: &Bill<'_>) -> Result<Started, GatewayError> {
        let stars = stars_for(bill.total, self.per_usd)
            .ok_or_else(|| GatewayError::BadResponse("price too large for Stars".into()))?;
        Ok(Started::Invoice { stars })
    }

    /// Telegram cannot be asked about an invoice: a lapsed one is expired by souk. An open order
    /// with a charge attached was paid (only `successful_payment` attaches one), and finishes.
    async fn check(&self, order: &Order) -> Result<Option<Notice>, GatewayError> {
        let Some(charge) = order.payment_id.as_deref() else {
            return Ok(None);
        };
        if !order.status.is_open() {
            return Ok(None);
        }
        Ok(Some(Notice::Status {
            order_id: order.id,
            status: OrderStatus::Finished,
            paid: order.pay_amount.as_deref().and_then(Amount::parse),
            source: "telegram-stars-resumed",
            raw: serde_json::json!({ "charge": charge, "stars": order.pay_amount }).to_string(),
        }))
    }
}

/// A Stars payment as Telegram's own ledger lists it (`getStarTransactions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCharge {
    /// `telegram_payment_charge_id`.
    pub charge: String,
    pub buyer: i64,
    pub payload: String,
    pub stars: u32,
    /// A Stars subscription's payment (the first, or a renewal Telegram made by itself).
    pub recurring: bool,
    /// The subscription's end Telegram gave with the payment (`successful_payment` only).
    pub expires_at: Option<i64>,
}

/// One page of the bot's Star transactions from `offset` (oldest first): how many entries it
/// held, and the incoming invoice payments among them.
pub async fn ledger_page(
    bot: &teloxide::Bot,
    offset: u32,
    limit: u8,
) -> Result<(usize, Vec<IncomingCharge>), teloxide::RequestError> {
    use teloxide::payloads::GetStarTransactionsSetters;
    use teloxide::prelude::Requester;
    use teloxide::types::{TransactionPartner, TransactionPartnerUserKind};
    let page = bot
        .get_star_transactions()
        .offset(offset)
        .limit(limit)
        .await?;
    let count = page.transactions.len();
    let charges = page
        .transactions
        .into_iter()
        .filter_map(|t| match t.source? {
            TransactionPartner::User(user) => match user.kind {
                TransactionPartnerUserKind::InvoicePayment(invoice) => Some(IncomingCharge {
                    charge: t.id.0,
                    buyer: i64::try_from(user.user.id.0).ok()?,
                    payload: invoice.invoice_payload?,
                    stars: t.amount,
                    recurring: invoice.subscription_period.is_some(),
                    expires_at: None,
                }),
                _ => None,
            },
            _ => None,
        })
        .collect();
    Ok((count, charges))
}

/// Gives a charge's Stars back to its buyer. A charge Telegram already refunded (a repeat after a
/// crash) counts as given back. `Err` holds Telegram's reason when it refused.
pub async fn refund(bot: &teloxide::Bot, buyer: i64, charge: &str) -> Result<(), String> {
    use teloxide::prelude::Requester;
    use teloxide::types::{TelegramTransactionId, UserId};
    let user = UserId(u64::try_from(buyer).unwrap_or_default());
    match bot
        .refund_star_payment(user, TelegramTransactionId(charge.to_string()))
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if e.to_string().contains("CHARGE_ALREADY_REFUNDED") => Ok(()),
        Err(e) => Err(e.to_string()),
    }
}
