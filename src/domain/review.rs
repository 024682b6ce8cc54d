//! Reviews' rules: a rating is 1 to 5 stars, a comment has a length limit, and an average is
//! shown to the tenth, exactly (integer arithmetic, rounded half up).

/// The longest comment or answer kept.
pub const MAX_COMMENT: usize = 1000;

/// Whether `stars` is a rating.
pub fn is_rating(stars: i64) -> bool {
    (1..=5).contains(&stars)
}

/// "★★★★☆" for 4.
pub fn stars_line(stars: i64) -> String {
    let n = stars.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

/// The ratings of a product or a seller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rating {
    pub count: i64,
    /// The sum of the stars.
    pub stars: i64,
}

impl Rating {
    /// The average as a decimal text with one decimal ("4.5"), rounded half up; `None` without
    /// reviews.
    pub fn average(&self) -> Option<String> {
        if self.count <= 0 {
            return None;
        }
        let tenths = (self.stars * 20 + self.count) / (2 * self.count);
        Some(format!("{}.{}", tenths / 10, tenths % 10))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_are_exact_to_the_tenth_rounded_half_up() {
        assert_eq!(Rating::default().average(), None);
        let avg = |count, stars| Rating { count, stars }.average().unwrap();
        assert_eq!(avg(1, 5), "5.0");
        assert_eq!(avg(2, 9), "4.5");
        assert_eq!(avg(3, 13), "4.3");
        assert_eq!(avg(4, 17), "4.3", "4.25 rounds up");
        assert_eq!(avg(3, 5), "1.7");
    }

    #[test]
    fn ratings_are_one_to_five_stars() {
        assert!(!is_rating(0) && is_rating(1) && is_rating(5) && !is_rating(6));
        assert_eq!(stars_line(4), "★★★★☆");
    }
}
