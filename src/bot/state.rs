//! The dialogue: where a user stands in a multi-step flow, persisted in the database.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    #[default]
    Idle,
    SellTitle,
    SellDescription {
        title: String,
    },
    SellPrice {
        title: String,
        description: String,
    },
    SellFile {
        title: String,
        description: String,
        price_cents: i64,
    },
    SellConfirm {
        draft: Draft,
    },
    /// /wallet waits for an address.
    WalletAddress,
    /// A valid new address waits for the seller to confirm replacing the old one.
    WalletConfirm {
        address: String,
    },
}

/// A product the seller has described but not yet published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub title: String,
    pub description: String,
    pub price_cents: i64,
    pub file_id: String,
    pub file_unique_id: String,
    pub file_name: Option<String>,
}
