//! Money safety (issue 12): each defect found by review reproduced, then held fixed.

mod availability;
mod budget;
mod config;
mod deliveries;
mod growth;
mod hardening;
mod ledger;
mod payouts;
mod sandbox;
mod stars;
mod stock;
mod texts;
