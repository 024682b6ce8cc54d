//! The dialogue: where a user stands in a multi-step flow, persisted in the database.

use crate::domain::product::ProductKind;
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
    /// Waits for a category button (only when categories exist).
    SellCategory {
        listing: Listing,
    },
    /// Waits for the kind of product (file, unique items, text).
    SellKind {
        listing: Listing,
    },
    /// Waits for what buyers receive.
    SellContent {
        listing: Listing,
        kind: ProductKind,
    },
    /// Waits for a cover photo, or Skip.
    SellPhoto {
        draft: Draft,
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
    /// A seller changes something of their product (/myproducts).
    Edit {
        product_id: i64,
        field: EditField,
    },
    /// Waits for search words.
    SearchQuery,
    /// An admin's /broadcast: waits for the message to send.
    BroadcastText,
    /// /paysupport: waits for what the buyer writes to the admins about an order.
    SupportQuestion {
        order_id: i64,
    },
    /// An admin's answer to the buyer who wrote about an order, to relay.
    SupportAnswer {
        order_id: i64,
        buyer_id: i64,
    },
    /// "Problem with this order": waits for the buyer's description.
    DisputeWrite {
        order_id: i64,
    },
    /// Waits for a message to a dispute's thread.
    DisputeMessage {
        dispute_id: i64,
    },
    /// An admin's partial refund: waits for the amount.
    DisputePart {
        dispute_id: i64,
    },
    /// "Have a code?": waits for the buyer's coupon code for a product.
    CouponCode {
        product_id: i64,
    },
    /// A rating given: waits for the buyer's comment.
    ReviewComment {
        order_id: i64,
    },
    /// Waits for the seller's answer to a review.
    ReviewAnswer {
        review_id: i64,
    },
    /// Mobile money: waits for the buyer's phone number (shared or typed).
    PayPhone {
        product_id: i64,
        code: String,
        /// The buyer's Telegram name, which the provider shows.
        name: String,
    },
}

/// What a seller is changing in an existing product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditField {
    Price,
    Title,
    Description,
    File,
    Text,
    Restock,
    Photo,
}

impl EditField {
    pub const ALL: [EditField; 7] = [
        EditField::Price,
        EditField::Title,
        EditField::Description,
        EditField::File,
        EditField::Text,
        EditField::Restock,
        EditField::Photo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EditField::Price => "price",
            EditField::Title => "title",
            EditField::Description => "description",
            EditField::File => "file",
            EditField::Text => "text",
            EditField::Restock => "restock",
            EditField::Photo => "photo",
        }
    }

    pub fn parse(s: &str) -> Option<EditField> {
        EditField::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// The shop-window part of a product being created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub title: String,
    pub description: String,
    pub price_cents: i64,
    pub category_id: Option<i64>,
    /// An access product's period in days (`None`: lifetime); the price is per period.
    #[serde(default)]
    pub access_days: Option<i64>,
}

/// A product the seller has described but not yet published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub listing: Listing,
    pub content: Content,
    /// The cover photo's `file_id` (drafts kept before covers existed have none).
    #[serde(default)]
    pub photo: Option<String>,
}

/// What buyers receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Content {
    File {
        file_id: String,
        file_unique_id: String,
        file_name: Option<String>,
        /// In bytes (drafts kept before sizes were read have none).
        #[serde(default)]
        file_size: Option<i64>,
    },
    Items(Vec<String>),
    Text(String),
    /// A channel or group the bot administers: its id and title.
    Access {
        chat_id: i64,
        title: String,
    },
}
