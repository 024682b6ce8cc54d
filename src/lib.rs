//! souk: a Telegram marketplace for digital goods, paid with Telegram Stars, crypto through
//! NOWPayments, or mobile money through NexPay; sellers paid weekly in USDT.

pub mod app;
pub mod bot;
pub mod config;
pub mod core;
pub mod delivery;
pub mod domain;
pub mod files;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod metrics;
pub mod miniapp;
pub mod payments;
pub mod services;
pub mod store;
pub mod telemetry;

/// Any error, for boundaries where only its message matters (handlers, background copies).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
