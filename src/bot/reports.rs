//! Admin views: /stats (with a chart), /payments (paged, filterable, each with its IPN
//! history), /payouts and /health.

use super::action::Action;
use super::admin::is_admin;
use super::{Deps, HandlerResult, Who, chart};
use crate::domain::OrderStatus;
use crate::domain::stats::{self, Period};
use crate::i18n;
use crate::store::{job_runs, now, outbox, payouts, reports};
use chrono::{TimeZone, Utc};
use std::str::FromStr;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

const PAGE_SIZE: i64 = 8;
/// The statuses offered as filters under /payments.
const FILTERS: [&str; 4] = ["finished", "waiting", "partially_paid", "failed"];

/// `/stats [day|week|month]`.
pub async fn stats(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let Some(period) = Period::parse(args) else {
        bot.send_message(who.chat(), who.t("stats-usage")).await?;
        return Ok(());
    };
    let (start, end) = period.window(now());
    let sales = reports::sales_between(&deps.core.store, start, end).await?;
    let s = stats::compute(&sales, period, start);
    let period_label = who.t(&format!("stats-period-{}", period.as_str()));
    let mut text = who.tr(
        "stats-summary",
        &[
            ("period", period_label.clone()),
            ("sales", s.sales.to_string()),
            ("gross", s.gross.to_string()),
            ("average", s.average.to_string()),
            ("commission", s.commission.to_string()),
            ("fees", s.fees.to_string()),
            ("unknown", s.fees_unknown.to_string()),
        ],
    );
    if s.sales == 0 {
        text = format!("{text}\n\n{}", who.t("stats-none"));
    } else {
        text = format!("{text}\n\n{}", who.t("stats-top-header"));
        for (rank, line) in s.top_sellers.iter().enumerate() {
            let name = if line.name.is_empty() {
                "-".to_string()
            } else {
                line.name.clone()
            };
            text.push('\n');
            text.push_str(&who.tr(
                "stats-top-line",
                &[
                    ("rank", (rank + 1).to_string()),
                    ("name", name),
                    ("id", line.seller_id.to_string()),
                    ("sales", line.sales.to_string()),
                    ("amount", line.earned.to_string()),
                ],
            ));
        }
        // Revenue per way of paying (Stars and mobile money apart from crypto).
        let mut by_rail: std::collections::BTreeMap<&str, (usize, i64)> = Default::default();
        for c in &s.coins {
            let rail = deps
                .checkout
                .rails
                .for_code(&c.currency)
                .map_or("nowpayments", |r| r.name());
            let line = by_rail.entry(rail).or_default();
            line.0 += c.sales;
            line.1 += c.volume.0;
        }
        text = format!("{text}\n\n{}", who.t("stats-rails-header"));
        for (rail, (sales, cents)) in by_rail {
            text.push('\n');
            text.push_str(&who.tr(
                "stats-rail-line",
                &[
                    ("rail", who.t(&format!("rail-{rail}"))),
                    ("sales", sales.to_string()),
                    ("amount", crate::domain::UsdCents(cents).to_string()),
                ],
            ));
        }
        text = format!("{text}\n\n{}", who.t("stats-coins-header"));
        for c in &s.coins {
            text.push('\n');
            text.push_str(&who.tr(
                "stats-coin-line",
                &[
                    ("coin", crate::payments::currencies::label(&c.currency)),
                    ("sales", c.sales.to_string()),
                    ("amount", c.volume.to_string()),
                ],
            ));
        }
    }
    bot.send_message(who.chat(), text).await?;
    let (n, size) = period.buckets();
    let labels: Vec<String> = (0..n)
        .map(|i| {
            let at = Utc.timestamp_opt(start + i as i64 * size, 0).single();
            let format = if period == Period::Day {
                "%H:00"
            } else {
                "%m-%d"
            };
            at.map(|t| t.format(format).to_string()).unwrap_or_default()
        })
        .collect();
    let title = who.tr("stats-chart-title", &[("period", period_label)]);
    match chart::bars(&title, &labels, &s.series) {
        Ok(png) => {
            bot.send_photo(who.chat(), InputFile::memory(png).file_name("stats.png"))
                .caption(title)
                .await?;
        }
        Err(e) => tracing::error!(error = %e, "the stats chart could not be drawn"),
    }
    Ok(())
}

/// `/payments [page] [status]`.
pub async fn payments(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let mut page = 0;
    let mut status = None;
    for word in args.split_whitespace() {
        if let Ok(n) = word.parse::<i64>() {
            page = (n - 1).max(0);
        } else if let Ok(s) = OrderStatus::from_str(&word.to_ascii_lowercase()) {
            status = Some(s.as_str().to_string());
        } else {
            bot.send_message(who.chat(), who.t("payments-usage"))
                .await?;
            return Ok(());
        }
    }
    payments_page(&bot, &who, &deps, page, status).await
}

async fn payments_page(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    page: i64,
    status: Option<String>,
) -> HandlerResult {
    let page = page.clamp(0, super::action::MAX_PAGE);
    let offset = Action::offset(page, PAGE_SIZE);
    let (lines, total) =
        reports::payments(&deps.core.store, status.as_deref(), PAGE_SIZE, offset).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let mut text = who.tr(
        "payments-header",
        &[
            ("page", (page + 1).to_string()),
            ("pages", pages.to_string()),
            ("total", total.to_string()),
            (
                "filter",
                status.clone().unwrap_or_else(|| who.t("payments-all")),
            ),
        ],
    );
    if lines.is_empty() {
        text = format!("{text}\n{}", who.t("payments-none"));
    }
    for l in &lines {
        text.push('\n');
        text.push_str(&who.tr(
            "payments-line",
            &[
                ("order", l.order_id.to_string()),
                ("status", who.status(&l.status)),
                ("total", l.total.to_string()),
                ("coin", l.pay_currency.to_ascii_uppercase()),
                ("date", i18n::date(l.created_at)),
            ],
        ));
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = lines
        .chunks(4)
        .map(|chunk| {
            chunk
                .iter()
                .map(|l| {
                    InlineKeyboardButton::callback(
                        format!("#{}", l.order_id),
                        Action::AdminPayment(l.order_id).encode(),
                    )
                })
                .collect()
        })
        .collect();
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(InlineKeyboardButton::callback(
            who.t("button-prev"),
            Action::AdminPayments(page - 1, status.clone()).encode(),
        ));
    }
    if page + 1 < pages {
        nav.push(InlineKeyboardButton::callback(
            who.t("button-next"),
            Action::AdminPayments(page + 1, status.clone()).encode(),
        ));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    let mut filters = vec![InlineKeyboardButton::callback(
        who.t("payments-all"),
        Action::AdminPayments(0, None).encode(),
    )];
    filters.extend(FILTERS.iter().map(|f| {
        InlineKeyboardButton::callback(*f, Action::AdminPayments(0, Some(f.to_string())).encode())
    }));
    rows.push(filters);
    bot.send_message(who.chat(), text)
        .reply_markup(InlineKeyboardMarkup::new(rows))
        .await?;
    Ok(())
}

async fn payment_detail(bot: &Bot, who: &Who, deps: &Deps, order_id: i64) -> HandlerResult {
    let Some(p) = reports::payment(&deps.core.store, order_id).await? else {
        bot.send_message(
            who.chat(),
            who.tr("order-unknown", &[("order", order_id.to_string())]),
        )
        .await?;
        return Ok(());
    };
    let mut text = who.tr(
        "payment-detail",
        &[
            ("order", p.order_id.to_string()),
            ("status", who.status(&p.status)),
            (
                "payment",
                p.payment_id.clone().unwrap_or_else(|| "-".into()),
            ),
            ("title", p.title.clone()),
            ("total", p.total.to_string()),
            ("coin", p.pay_currency.to_ascii_uppercase()),
            ("amount", p.pay_amount.clone().unwrap_or_else(|| "-".into())),
            (
                "paid",
                p.actually_paid.clone().unwrap_or_else(|| "0".into()),
            ),
            ("buyer", p.buyer_id.to_string()),
            ("seller", p.seller_id.to_string()),
            ("created", i18n::date(p.created_at)),
            ("updated", i18n::date(p.updated_at)),
        ],
    );
    let (history, total) = reports::ipn_history(&deps.core.store, order_id, HISTORY_LINES).await?;
    text = format!("{text}\n\n{}", who.t("payment-history"));
    if history.is_empty() {
        text = format!("{text}\n{}", who.t("payment-history-none"));
    }
    let earlier = total - history.len() as i64;
    if earlier > 0 {
        text.push('\n');
        text.push_str(&who.tr("payment-history-earlier", &[("count", earlier.to_string())]));
    }
    for h in history {
        text.push('\n');
        text.push_str(&who.tr(
            "payment-history-line",
            &[
                ("date", i18n::date(h.received_at)),
                ("status", h.status),
                ("outcome", h.outcome),
                ("source", h.source.unwrap_or_else(|| "NOWPayments".into())),
            ],
        ));
    }
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// Payment reports shown in an order's details: the latest (a message holds 4,096 characters).
const HISTORY_LINES: i64 = 12;

/// The /payments buttons.
pub async fn on_press(bot: Bot, who: Who, deps: Arc<Deps>, action: Action) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    match action {
        Action::AdminPayments(page, status) => payments_page(&bot, &who, &deps, page, status).await,
        Action::AdminPayment(id) => payment_detail(&bot, &who, &deps, id).await,
        _ => Ok(()),
    }
}

/// `/payouts`: the latest runs and withdrawals.
pub async fn payouts(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let batches = payouts::recent_batches(&deps.core.store, 5).await?;
    let recent = payouts::recent(&deps.core.store, 10).await?;
    let mut text = who.t("payouts-header");
    if batches.is_empty() {
        text = format!("{text}\n{}", who.t("payouts-none"));
    }
    for b in &batches {
        text.push('\n');
        text.push_str(&who.tr(
            "payouts-batch-line",
            &[
                ("batch", b.id.to_string()),
                ("status", b.status.as_str().to_string()),
                ("total", b.total.to_string()),
                ("started_by", b.started_by.clone()),
                ("date", i18n::date(b.created_at)),
            ],
        ));
    }
    if !recent.is_empty() {
        text = format!("{text}\n\n{}", who.t("payouts-withdrawals"));
    }
    for p in &recent {
        text.push('\n');
        text.push_str(&who.tr(
            "payouts-line",
            &[
                ("id", p.id.to_string()),
                ("seller", p.seller_id.to_string()),
                ("amount", p.amount.to_string()),
                ("status", p.status.as_str().to_string()),
                ("hash", p.hash.clone().unwrap_or_else(|| "-".into())),
            ],
        ));
    }
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// `/health`: NOWPayments, the database, the custody balance, the outbox, the jobs.
pub async fn health(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    if !is_admin(&bot, &who, &deps).await? {
        return Ok(());
    }
    let ok = |good: bool| who.t(if good { "health-ok" } else { "health-down" });
    let provider = match deps.core.gateway.status().await {
        Ok(()) => ok(true),
        Err(e) => format!("{} ({e})", ok(false)),
    };
    let database = match deps.core.store.ping().await {
        Ok(()) => ok(true),
        Err(e) => format!("{} ({e})", ok(false)),
    };
    let custody = match &deps.core.payer {
        None => who.t("health-custody-off"),
        Some(p) => match p.api.custody_balances().await {
            Ok(b) => {
                let amount = b
                    .get(&p.currency)
                    .and_then(|x| x.amount.as_ref())
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_else(|| "0".into());
                format!(
                    "{amount} {}",
                    crate::payments::currencies::label(&p.currency)
                )
            }
            Err(e) => format!("{} ({e})", ok(false)),
        },
    };
    let pending = outbox::pending_count(&deps.core.store).await?;
    let mut text = who.tr(
        "health-summary",
        &[
            ("provider", provider),
            ("database", database),
            ("custody", custody),
            ("outbox", pending.to_string()),
        ],
    );
    let runs = job_runs::latest(&deps.core.store).await?;
    if runs.is_empty() {
        text = format!("{text}\n{}", who.t("health-jobs-none"));
    }
    for (job, slot, started, _finished, outcome) in runs {
        text.push('\n');
        text.push_str(&who.tr(
            "health-job-line",
            &[
                ("job", job),
                ("slot", slot),
                ("date", i18n::date(started)),
                (
                    "outcome",
                    outcome.unwrap_or_else(|| who.t("health-running")),
                ),
            ],
        ));
    }
    bot.send_message(who.chat(), text).await?;
    Ok(())
}
