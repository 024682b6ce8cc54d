//! What a product delivers (a file, unique items such as license keys, or a text) and the rules
//! for a seller's list of items.

use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ProductKind {
    /// The same file for every buyer, re-sent by Telegram `file_id`.
    File,
    /// One unique item per sale (a license key, a code, an account), never sold twice.
    Items,
    /// The same text for every buyer (a link, instructions).
    Text,
    /// Access to a private channel or group: a join link only the buyer can use.
    Access,
}

impl ProductKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::File => "file",
            ProductKind::Items => "items",
            ProductKind::Text => "text",
            ProductKind::Access => "access",
        }
    }

    pub fn parse(s: &str) -> Option<ProductKind> {
        [
            ProductKind::File,
            ProductKind::Items,
            ProductKind::Text,
            ProductKind::Access,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Longest single item (a key, a code, an account line).
pub const MAX_ITEM_LEN: usize = 1000;
/// Most items in one upload.
pub const MAX_ITEMS_PER_UPLOAD: usize = 10_000;

/// A seller's upload of items, one per line: blank lines are skipped, lines are trimmed, and a
/// line repeated within the upload counts once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemUpload {
    pub items: Vec<String>,
    /// Lines that repeated an earlier line of the same upload.
    pub repeated: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemsError {
    Empty,
    TooMany,
    TooLong,
}

pub fn parse_items(text: &str) -> Result<ItemUpload, ItemsError> {
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    let mut repeated = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.chars().count() > MAX_ITEM_LEN {
            return Err(ItemsError::TooLong);
        }
        if seen.insert(line) {
            items.push(line.to_string());
        } else {
            repeated += 1;
        }
        if items.len() > MAX_ITEMS_PER_UPLOAD {
            return Err(ItemsError::TooMany);
        }
    }
    if items.is_empty() {
        return Err(ItemsError::Empty);
    }
    Ok(ItemUpload { items, repeated })
}

/// Text folded for search: lower case, accents removed (so "cafe" finds "Café" and "ÉTÉ" finds
/// "été"), runs of non-alphanumerics become one space. SQL's LOWER() knows only ASCII in SQLite,
/// so products keep this form in a column and queries are folded the same way.
pub fn fold_for_search(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    // NFKD splits accents off their letters and undoes compatibility forms ("ﬁ", "²").
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        for c in c.to_lowercase() {
            if c.is_alphanumeric() {
                match unligature(c) {
                    Some(pair) => out.push_str(pair),
                    None => out.push(c),
                }
                space = false;
            } else if !space {
                out.push(' ');
                space = true;
            }
        }
    }
    out.trim_end().to_string()
}

/// Letters NFKD leaves whole that people type as two (or as a plain letter).
fn unligature(c: char) -> Option<&'static str> {
    Some(match c {
        'œ' => "oe",
        'æ' => "ae",
        'ß' => "ss",
        'ø' => "o",
        'ł' => "l",
        'đ' => "d",
        'ı' => "i",
        _ => return None,
    })
}

/// Bumped when `fold_for_search` changes: the stored folded copies are then made again.
pub const SEARCH_FOLD_VERSION: i64 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_trimmed_and_deduplicated() {
        let up = parse_items("KEY-1\n  KEY-2  \n\nKEY-1\r\nKEY-3").unwrap();
        assert_eq!(up.items, ["KEY-1", "KEY-2", "KEY-3"]);
        assert_eq!(up.repeated, 1);
        assert_eq!(parse_items(" \n\n"), Err(ItemsError::Empty));
        assert_eq!(
            parse_items(&"x".repeat(MAX_ITEM_LEN + 1)),
            Err(ItemsError::TooLong)
        );
    }

    #[test]
    fn search_folds_case_and_french_accents() {
        assert_eq!(fold_for_search("Café CRÈME — l'Été!"), "cafe creme l ete");
        assert_eq!(fold_for_search("ÉCOLE"), fold_for_search("école"));
        assert_eq!(fold_for_search("Noël"), "noel");
        // Ligatures and compatibility forms fold to what people type.
        assert_eq!(fold_for_search("Cœur d'Ærø"), "coeur d aero");
        assert_eq!(fold_for_search("Straße ﬁne"), "strasse fine");
        assert_eq!(fold_for_search("Łódź"), "lodz");
    }

    #[test]
    fn kinds_round_trip() {
        for k in [
            ProductKind::File,
            ProductKind::Items,
            ProductKind::Text,
            ProductKind::Access,
        ] {
            assert_eq!(ProductKind::parse(k.as_str()), Some(k));
        }
    }
}
