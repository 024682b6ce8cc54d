//! The storefront Mini App (issue 17, in progress): who opened it, from Telegram's signed
//! `initData`.

pub mod init_data;
