//! `/reconcile [from] [to]` (admins): souk's books against NOWPayments' (its payment list and
//! payouts) for a period of UTC days (the last 7 by default), each difference on its own line.
//! The rules are in `services::books`.

use super::{Deps, HandlerResult, Who};
use crate::services::books::{self, Difference, Report};
use crate::services::export::day_start;
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
    let now = crate::store::now();
    let words: Vec<&str> = args.split_whitespace().collect();
    let (from, to) = match words.as_slice() {
        [] => (now - 7 * 86_400, now + 1),
        [from] => match day_start(from) {
            Some(f) => (f, now + 1),
            None => return usage(&bot, &who).await,
        },
        [from, to] => match (day_start(from), day_start(to)) {
            (Some(f), Some(t)) if f <= t => (f, t + 86_400),
            _ => return usage(&bot, &who).await,
        },
        _ => return usage(&bot, &who).await,
    };
    let store = &deps.core.store;
    let text = match books::reconcile(store, &deps.core.rails, &payer.api, from, to).await {
        Ok(report) => report_text(&who, &report),
        Err(e) => {
            tracing::warn!(error = %e, "reconciliation failed");
            who.t("reconcile-failed")
        }
    };
    crate::delivery::send_long_text(&bot, who.chat(), &text).await?;
    Ok(())
}

async fn usage(bot: &Bot, who: &Who) -> HandlerResult {
    bot.send_message(who.chat(), who.t("reconcile-usage"))
        .await?;
    Ok(())
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
            payment,
            order,
            price,
            status,
        } => who.tr(
            "reconcile-unsettled",
            &[
                ("payment", payment.clone()),
                ("order", order.map_or_else(|| "-".into(), |o| o.to_string())),
                ("price", price.clone()),
                ("status", status.clone()),
            ],
        ),
        Difference::Unknown { order, payment } => who.tr(
            "reconcile-unknown",
            &[("order", order.to_string()), ("payment", payment.clone())],
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
