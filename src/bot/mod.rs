//! The Telegram bot (teloxide): the handler tree, read top-down like a routing table.

pub mod account;
pub mod action;
pub mod admin;
pub mod apology;
pub mod books;
pub mod broadcast;
pub mod card;
pub mod catalog;
pub mod chart;
pub mod chat_access;
pub mod commands;
pub mod coupons;
pub mod dispute;
pub mod export;
pub mod gate;
pub mod invite;
pub mod members;
pub mod menu;
pub mod moderation;
pub mod outbox_buttons;
pub mod pay;
pub mod payment_message;
pub mod purchases;
pub mod qr;
pub mod ratelimit;
pub mod replies;
pub mod reports;
pub mod reviews;
pub mod screen;
pub mod seller;
pub mod shop;
pub mod stars;
pub mod state;
pub mod support;
pub mod typed;
pub mod uploads;

use crate::domain::UsdCents;
use crate::i18n;
use crate::services::checkout::Checkout;
use crate::store::dialogues::DialogueStore;
use action::Action;
use ratelimit::{RateLimiter, Verdict};
use state::State;
use std::sync::Arc;
use teloxide::dispatching::UpdateHandler;
use teloxide::dispatching::dialogue::Dialogue;
use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

pub use crate::BoxError;
pub type HandlerResult = Result<(), BoxError>;
pub type DialogueStorage = DialogueStore<State>;
/// The dialogue of one chat: which step of which flow (/sell, /wallet, an edit, a search) it is in.
pub type ChatDialogue = Dialogue<State, DialogueStorage>;

/// Everything handlers need, built once in `app`.
pub struct Deps {
    /// What the whole application shares: the store, the rails, the admins, the settler, the
    /// payer (`crate::core`).
    pub core: crate::core::Core,
    pub checkout: Checkout,
    pub minimum_price: UsdCents,
    /// The coin sellers are paid in; their wallets are checked for it.
    pub payout_currency: String,
    pub default_language: String,
    pub bot_username: String,
    pub limiter: RateLimiter,
    /// Inline searches per user (each one is a database search).
    pub inline_limiter: RateLimiter,
    /// Copies of product files (S3/B2 or a local folder).
    pub files: Arc<crate::files::FileStore>,
    pub file_copies: crate::files::copies::FileCopies,
    pub broadcaster: crate::services::broadcast::Broadcaster,
    /// Telegram Stars per US dollar, when Stars are on (cards show the Star price).
    pub stars_per_usd: Option<rust_decimal::Decimal>,
    /// What /terms shows (`TERMS_TEXT`); a default text in the user's language when unset.
    pub terms: Option<String>,
    /// `PUBLIC_URL`: covers on Stars invoices are served from it.
    pub public_url: Option<url::Url>,
    /// `MINIAPP_URL`: the storefront Mini App, opened from /start and product cards.
    pub miniapp_url: Option<url::Url>,
}

impl Deps {
    /// A button opening the Mini App (at a product's page when given), when it is served.
    pub fn app_button(
        &self,
        who: &Who,
        key: &str,
        product: Option<i64>,
    ) -> Option<teloxide::types::InlineKeyboardButton> {
        let mut url = self.miniapp_url.clone()?;
        if let Some(id) = product {
            url.query_pairs_mut()
                .append_pair("product", &id.to_string());
        }
        Some(teloxide::types::InlineKeyboardButton::web_app(
            who.t(key),
            teloxide::types::WebAppInfo { url },
        ))
    }
}

/// The user behind an update, with the language to answer in.
#[derive(Debug, Clone)]
pub struct Who {
    pub id: i64,
    pub lang: String,
}

impl Who {
    pub fn chat(&self) -> ChatId {
        ChatId(self.id)
    }

    pub fn t(&self, key: &str) -> String {
        i18n::t(&self.lang, key)
    }

    pub fn tr(&self, key: &str, args: &[(&str, String)]) -> String {
        i18n::tr(&self.lang, key, args)
    }

    /// An order status as an admin view names it (`order-status-<status>`).
    pub fn status(&self, status: &str) -> String {
        self.t(&format!("order-status-{status}"))
    }

    /// `key` for an HTML page: every argument escaped, so user text shows as typed.
    pub fn html(&self, key: &str, args: &[(&str, String)]) -> String {
        let escaped: Vec<(&str, String)> =
            args.iter().map(|(k, v)| (*k, screen::escape(v))).collect();
        i18n::tr(&self.lang, key, &escaped)
    }
}

#[derive(BotCommands, Clone, Debug)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Help,
    Sell,
    Browse,
    Search(String),
    Purchases,
    Language,
    Cancel,
    Wallet,
    Earnings,
    MyProducts,
    Categories,
    #[command(rename = "category_add")]
    CategoryAdd(String),
    #[command(rename = "category_rename")]
    CategoryRename(String),
    #[command(rename = "category_delete")]
    CategoryDelete(String),
    #[command(rename = "payout_now")]
    PayoutNow,
    Ban(String),
    Unban(String),
    Hide(String),
    Unhide(String),
    Refund(String),
    Markpaid(String),
    Stats(String),
    Payments(String),
    Payouts,
    Health,
    Broadcast,
    Paysupport,
    Terms,
    #[command(rename = "hide_review")]
    HideReview(String),
    Coupon(String),
    Coupons,
    Invite,
    Export(String),
    Reconcile(String),
}

/// Longest text accepted in any message (Telegram allows 4096).
pub const MAX_TEXT: usize = 4096;

pub fn schema() -> UpdateHandler<BoxError> {
    // A Stars payment is settled whatever the chat's dialogue or rate limit.
    let payments = Update::filter_message()
        .filter(|m: Message| m.successful_payment().is_some())
        .endpoint(stars::paid);
    let messages = Update::filter_message()
        .filter_map_async(identify_sender)
        .filter_async(allow_message)
        .enter_dialogue::<Message, DialogueStorage, State>()
        .branch(
            dptree::entry()
                .filter_command::<Command>()
                .endpoint(menu::command),
        )
        .branch(
            dptree::filter(|m: Message| m.text().is_some_and(|t| t.starts_with('/')))
                .endpoint(menu::unknown_command),
        )
        .branch(replies::schema());
    let callbacks = Update::filter_callback_query()
        .filter_map_async(identify_presser)
        .filter_async(allow_press)
        .enter_dialogue::<CallbackQuery, DialogueStorage, State>()
        .endpoint(on_press);
    let inline = Update::filter_inline_query().endpoint(catalog::inline_query);
    let join_requests = Update::filter_chat_join_request().endpoint(chat_access::join_request);
    let members = Update::filter_chat_member().endpoint(chat_access::member_changed);
    let pre_checkout = Update::filter_pre_checkout_query().endpoint(stars::pre_checkout);
    apology::on_error()
        .branch(payments)
        .branch(pre_checkout)
        .branch(messages)
        .branch(callbacks)
        .branch(inline)
        .branch(join_requests)
        .branch(members)
}

async fn who(deps: &Deps, user: &teloxide::types::User) -> Option<Who> {
    let id = i64::try_from(user.id.0).ok()?;
    let new_lang = i18n::negotiate(user.language_code.as_deref(), &deps.default_language);
    match crate::store::users::seen(
        &deps.core.store,
        id,
        user.username.as_deref(),
        &user.first_name,
        &new_lang,
    )
    .await
    {
        Ok(lang) => Some(Who { id, lang }),
        Err(e) => {
            tracing::error!(error = %e, "could not record user");
            Some(Who { id, lang: new_lang })
        }
    }
}

/// Only private chats with a human sender are served.
async fn identify_sender(msg: Message, deps: Arc<Deps>) -> Option<Who> {
    if !msg.chat.is_private() {
        return None;
    }
    let user = msg.from.as_ref().filter(|u| !u.is_bot)?;
    who(&deps, user).await
}

async fn identify_presser(q: CallbackQuery, deps: Arc<Deps>) -> Option<Who> {
    who(&deps, &q.from).await
}

async fn allow_message(bot: Bot, who: Who, deps: Arc<Deps>) -> bool {
    match deps.limiter.check(who.id) {
        Verdict::Allow => true,
        Verdict::Warn => {
            let _ = bot.send_message(who.chat(), who.t("too-fast")).await;
            false
        }
        Verdict::Drop => false,
    }
}

async fn allow_press(bot: Bot, who: Who, q: CallbackQuery, deps: Arc<Deps>) -> bool {
    match deps.limiter.check(who.id) {
        Verdict::Allow => true,
        _ => {
            let _ = bot
                .answer_callback_query(q.id.clone())
                .text(who.t("too-fast"))
                .await;
            false
        }
    }
}

/// A message that is not a command: what it means depends on the dialogue's state.
/// Every button press is answered (or the button keeps spinning), then routed.
async fn on_press(
    bot: Bot,
    who: Who,
    q: CallbackQuery,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    state: State,
) -> HandlerResult {
    let Some(action) = q.data.as_deref().and_then(Action::parse) else {
        bot.answer_callback_query(q.id.clone())
            .text(who.t("stale-button"))
            .await?;
        return Ok(());
    };
    // The menu's buttons (browse, search, purchases, sell, a product) end the open flow, as a
    // command does; a flow's own buttons (its steps, confirmations) belong to it.
    if matches!(
        action,
        Action::Menu
            | Action::Categories(_)
            | Action::Browse(..)
            | Action::Search(..)
            | Action::SearchPrompt
            | Action::Purchases(_)
            | Action::Sell
            | Action::Product(_)
            | Action::Buy(_)
            | Action::MyProducts(_)
            | Action::Reviews(..)
            | Action::Seller(_)
    ) {
        menu::end_flow(&bot, &who, &dialogue, &state).await?;
    }
    match action {
        Action::SellCategories(page) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let place = screen::Place::of(&q);
            seller::category_page(bot, who, deps, dialogue, page, place).await
        }
        Action::Sell
        | Action::PickCategory(_)
        | Action::PickKind(_)
        | Action::PickTerm(_)
        | Action::SkipPhoto
        | Action::Publish
        | Action::DiscardDraft => {
            bot.answer_callback_query(q.id.clone()).await?;
            seller::on_press(bot, who, deps, dialogue, action).await
        }
        Action::WalletReplace | Action::WalletKeep => {
            bot.answer_callback_query(q.id.clone()).await?;
            account::on_press(bot, who, deps, dialogue, action).await
        }
        Action::MyProducts(_)
        | Action::Manage(_)
        | Action::Members(_)
        | Action::EndMember(..)
        | Action::EndMemberConfirmed(..)
        | Action::Toggle(_)
        | Action::Edit(..)
        | Action::RemovePhoto(_)
        | Action::Delete(_)
        | Action::DeleteConfirmed(_) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let place = screen::Place::of(&q);
            shop::on_press(bot, who, deps, dialogue, action, place).await
        }
        Action::BroadcastGo(_) | Action::BroadcastDrop(_) => {
            bot.answer_callback_query(q.id.clone()).await?;
            broadcast::on_press(bot, who, deps, action).await
        }
        Action::AdminPayments(..) | Action::AdminPayment(_) => {
            bot.answer_callback_query(q.id.clone()).await?;
            reports::on_press(bot, who, deps, action).await
        }
        Action::PayoutGo(_) | Action::PayoutDrop => {
            bot.answer_callback_query(q.id.clone()).await?;
            admin::on_press(bot, who, deps, action).await
        }
        Action::Categories(_) | Action::Browse(..) | Action::Search(..) | Action::SearchPrompt => {
            bot.answer_callback_query(q.id.clone()).await?;
            let place = screen::Place::of(&q);
            catalog::on_press(bot, who, deps, dialogue, action, place).await
        }
        Action::Menu => {
            bot.answer_callback_query(q.id.clone()).await?;
            menu::menu(bot, who, deps, screen::Place::of(&q)).await
        }
        Action::Language(code) => menu::set_language(bot, who, q, deps, code).await,
        Action::MarkPaid(order_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            moderation::mark_paid_confirmed(bot, who, deps, order_id).await
        }
        Action::Support(order_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            support::request(bot, who, q.from.username.clone(), deps, dialogue, order_id).await
        }
        Action::DisputeOpen(_)
        | Action::DisputeReply(_)
        | Action::DisputeRefund(_)
        | Action::DisputePart(_)
        | Action::DisputeClose(_) => {
            bot.answer_callback_query(q.id.clone()).await?;
            dispute::on_press(bot, who, deps, dialogue, action).await
        }
        Action::SupportWrite(_) | Action::SupportReply(..) => {
            bot.answer_callback_query(q.id.clone()).await?;
            support::on_press(bot, who, deps, dialogue, action).await
        }
        Action::AskRefund(order_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            moderation::refund_ask(bot, who, deps, order_id).await
        }
        Action::RefundConfirmed(order_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            moderation::refund(bot, who, deps, &order_id.to_string()).await
        }
        Action::AskMarkPaid(order_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            moderation::mark_paid(bot, who, deps, &order_id.to_string()).await
        }
        Action::NotifyMe(product_id) => card::notify_me(bot, who, q, deps, product_id).await,
        Action::CouponAsk(product_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            coupons::ask(bot, who, dialogue, product_id).await
        }
        Action::Rate(order_id, stars) => {
            bot.answer_callback_query(q.id.clone()).await?;
            reviews::rate(bot, who, deps, dialogue, order_id, stars).await
        }
        Action::ReviewAnswer(review_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            reviews::ask_answer(bot, who, deps, dialogue, review_id).await
        }
        Action::HideReview(review_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let place = screen::Place::of(&q);
            reviews::hide_pressed(bot, who, deps, review_id, place).await
        }
        Action::Reviews(product_id, page) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let place = screen::Place::of(&q);
            reviews::page(bot, who, deps, product_id, page, place).await
        }
        Action::Seller(seller_id) => {
            bot.answer_callback_query(q.id.clone()).await?;
            let place = screen::Place::of(&q);
            reviews::seller_profile(bot, who, deps, seller_id, place).await
        }
        Action::Pay(product_id, code) => {
            bot.answer_callback_query(q.id.clone()).await?;
            pay::pay_pressed(bot, who, q, deps, dialogue, product_id, code).await
        }
        other => pay::on_press(bot, who, q, deps, other).await,
    }
}
