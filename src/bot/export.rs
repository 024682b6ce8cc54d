//! `/export`: a CSV document of orders, ledger entries and payouts. A seller gets their own
//! (everything so far); an admin gets everyone's for `[from] [to]` (UTC days, both included;
//! the last 30 days by default).

use super::{Deps, HandlerResult, Who};
use crate::domain::stats::days_between;
use crate::services::export::csv;
use crate::store::exports;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::InputFile;

pub async fn export(bot: Bot, who: Who, deps: Arc<Deps>, args: &str) -> HandlerResult {
    let admin = deps.core.admins().contains(&who.id);
    let now = crate::store::now();
    // A seller gets everything so far; an admin a period (the last 30 days by default).
    let period = match admin {
        true => days_between(args, 30, now),
        false => args.trim().is_empty().then_some((0, now + 1)),
    };
    let Some((from, to)) = period else {
        bot.send_message(who.chat(), who.t("export-usage")).await?;
        return Ok(());
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
