//! The storefront Mini App (issue 17, in progress): who opened it, from Telegram's signed
//! `initData`, and links that open it outside Telegram for trials.

pub mod init_data;
pub mod link;
