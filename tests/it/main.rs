//! Integration tests of souk, run against in-process fakes of Telegram and NOWPayments.

mod admin_views;
mod binary;
mod broadcast;
mod catalog;
mod chaos;
mod conversations;
mod deploy;
mod fakes_selftest;
mod files;
mod jobs;
mod marketplace;
mod migrations;
mod moderation;
mod native;
mod nexpay;
mod operations;
mod payout_races;
mod payouts;
mod replicas;
mod safety;
mod sandbox;
mod sellers;
mod settlement;
mod stars;
mod stock;
mod support;
