//! `/export`: a CSV document of orders, ledger entries and payouts. A seller gets their own
//! (everything so far); an admin gets everyone's for `[from] [to]` (UTC days, both included;
//! the last 30 days by default).

use super::{Deps, HandlerResult, Who};
use crate::services::export::{csv, day_start};
use crate::store::exports;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::InputFile;

pub async fn export(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    let admin = deps.core.admins().contains(&who.id);
    let now = crate::store::now();
    let words: Vec<&str> = args.split_whitespace().collect();
    let (from, to) = match (admin, words.as_slice()) {
        (false, []) => (0, now + 1),
        (true, []) => (now - 30 * 86_400, now + 1),
        (true, [from]) => match day_start(from) {
            Some(f) => (f, now + 1),
            None => return usage(&bot, &who).await,
        },
        (true, [from, to]) => match (day_start(from), day_start(to)) {
            (Some(f), Some(t)) if f <= t => (f, t + 86_400),
            _ => return usage(&bot, &who).await,
        },
        _ => return usage(&bot, &who).await,
    };
    let seller = (!admin).then_some(who.id);
    let lines = exports::lines(&deps.core.store, from, to, seller).await?;
    let name = format!("souk-export-{}.csv", crate::i18n::date(now));
    let caption = who.tr("export-caption", &[("rows", lines.len().to_string())]);
    bot.send_document(
        who.chat(),
        InputFile::memory(csv(&lines).into_bytes()).file_name(name),
    )
    .caption(caption)
    .await?;
    Ok(())
}

async fn usage(bot: &Bot, who: &Who) -> HandlerResult {
    bot.send_message(who.chat(), who.t("export-usage")).await?;
    Ok(())
}
