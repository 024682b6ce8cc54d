//! In-process fakes and helpers shared by the integration tests.

// Each test uses only part of the support code.
#[allow(dead_code)]
pub mod app;
#[allow(dead_code)]
pub mod browser;
#[allow(dead_code)]
pub mod fake_nexpay;
#[allow(dead_code)]
pub mod fake_nowpayments;

#[allow(dead_code)]
pub mod fake_telegram;
#[allow(dead_code)]
pub mod flows;
#[allow(dead_code)]
pub mod moto;
#[allow(dead_code)]
pub mod process;
#[allow(dead_code)]
pub mod webhook;
