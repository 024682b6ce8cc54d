//! `/reconcile [from] [to]` (admins): souk's books against NOWPayments' (its payment list and
//! payouts) for a period of UTC days (the last 7 by default), each difference on its own line.
//! The rules are in `services::books`.

use super::{Deps, HandlerResult, Who};
use crate::domain::stats::days_between;
use crate::services::books::{self, Difference, Report};
use std::sync::Arc;
use teloxide::prelude::*;

pub async fn reconcile(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !super::admin::is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let Some(payer) = &deps.core.payer else {
        bot.send_message(who.chat(), who.t("reconcile-needs-login"))
            .await?;
        return Ok(());
    };
    let Some((from, to)) = days_between(args, 7, crate::store::now()) else {
        bot.send_message(who.chat(), who.t("reconcile-usage"))
            .await?;
        return Ok(());
    };
    let store = &deps.core.store;
    let mut report = match books::reconcile(store, &deps.core.rails, &payer.api, from, to).await {
        Ok(report) => report,
        Err(e) => {
            tracing::warn!(error = %e, "reconciliation failed");
            bot.send_message(who.chat(), who.t("reconcile-failed"))
                .await?;
            return Ok(());
        }
    };
    // With Stars on, the bot's own Star transactions too.
    if deps.stars_per_usd.is_some() {
        let charges = star_charges(&bot).await?;
        books::stars_against(store, &charges, from, to, &mut report).await?;
    }
    let text = report_text(&who, &report);
    crate::delivery::send_long_text(&bot, who.chat(), &text).await?;
    Ok(())
}

/// Every incoming Star payment the bot's ledger lists, oldest first.
async fn star_charges(
    bot: &Bot,
) -> Result<Vec<crate::payments::stars::IncomingCharge>, teloxide::RequestError> {
    let mut all = Vec::new();
    let mut offset = 0u32;
    loop {
        let (count, charges) = crate::payments::stars::ledger_page(bot, offset, 100).await?;
        all.extend(charges);
        if count < 100 {
            return Ok(all);
        }
        offset += 100;
    }
}

/// The report as the admin reads it.
pub fn report_text(who: &Who, report: &Report) -> String {
    let header = who.tr(
        "reconcile-header",
        &[
            ("payments", report.payments.to_string()),
            ("payouts", report.payouts.to_string()),
            ("differences", report.differences.len().to_string()),
        ],
    );
    let lines: Vec<String> = report.differences.iter().map(|d| line(who, d)).collect();
    if lines.is_empty() {
        format!("{header}\n{}", who.t("reconcile-clean"))
    } else {
        format!("{header}\n{}", lines.join("\n"))
    }
}

fn line(who: &Who, d: &Difference) -> String {
    match d {
        Difference::Unsettled {
            rail,
            payment,
            order,
            price,
            status,
        } => who.tr(
            "reconcile-unsettled",
            &[
                ("rail", rail.to_string()),
                ("payment", payment.clone()),
                ("order", order.map_or_else(|| "-".into(), |o| o.to_string())),
                ("price", price.clone()),
                ("status", status.clone()),
            ],
        ),
        Difference::Unknown {
            rail,
            order,
            payment,
        } => who.tr(
            "reconcile-unknown",
            &[
                ("rail", rail.to_string()),
                ("order", order.to_string()),
                ("payment", payment.clone()),
            ],
        ),
        Difference::StarsDiffer {
            order,
            charge,
            souk,
            telegram,
        } => who.tr(
            "reconcile-stars",
            &[
                ("order", order.to_string()),
                ("charge", charge.clone()),
                ("souk", souk.clone()),
                ("telegram", telegram.to_string()),
            ],
        ),
        Difference::AmountDiffers {
            order,
            payment,
            souk,
            provider,
        } => who.tr(
            "reconcile-amount",
            &[
                ("order", order.to_string()),
                ("payment", payment.clone()),
                ("souk", souk.to_string()),
                ("provider", provider.clone()),
            ],
        ),
        Difference::PayoutDiffers {
            payout,
            withdrawal,
            souk,
            provider,
        } => who.tr(
            "reconcile-payout",
            &[
                ("payout", payout.to_string()),
                ("withdrawal", withdrawal.clone()),
                ("souk", souk.clone()),
                ("provider", provider.clone()),
            ],
        ),
    }
}
