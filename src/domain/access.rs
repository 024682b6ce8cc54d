//! Access to a chat, sold for life or by the period: the periods a seller may pick, how a paid
//! period extends a membership, and which reminder is due before its end.

/// The periods of a subscription, in days.
pub const PERIODS: [i64; 4] = [7, 30, 90, 365];

/// The one period Telegram bills a Stars subscription for (`subscription_period` 2592000 s).
pub const STARS_PERIOD_DAYS: i64 = 30;

pub const DAY: i64 = 86_400;

/// Whether `days` is a period a subscription may have.
pub fn is_period(days: i64) -> bool {
    PERIODS.contains(&days)
}

/// A membership as it stands when a period is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Its end (`None`: lifetime).
    pub ends_at: Option<i64>,
    /// Ended: removed on expiry, refunded, or ended by the seller.
    pub ended: bool,
}

/// The period a payment at `now` buys: `(starts, ends)`; `ends` is `None` for lifetime access.
/// A renewal of a membership still running (its end not passed, or passed but within the
/// grace, before souk removed the member) extends from its current end, never from the payment
/// date; a new or ended membership starts now.
pub fn period(current: Option<Standing>, days: Option<i64>, now: i64) -> (i64, Option<i64>) {
    let Some(days) = days else {
        return (now, None);
    };
    let starts = match current {
        Some(Standing {
            ends_at: Some(end),
            ended: false,
        }) => end,
        _ => now,
    };
    (starts, Some(starts + days * DAY))
}

/// The reminder due at `now` for a membership ending at `ends_at` (3 days, then 1 day before
/// it), given the last one sent for that end; `None` when none is due.
pub fn reminder_due(ends_at: i64, last_sent: Option<i64>, now: i64) -> Option<i64> {
    if now >= ends_at {
        return None;
    }
    let due = [1, 3].into_iter().find(|d| ends_at - d * DAY <= now)?;
    match last_sent {
        Some(sent) if sent <= due => None,
        _ => Some(due),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn an_early_renewal_extends_from_the_current_end() {
        let running = Standing {
            ends_at: Some(NOW + 2 * DAY),
            ended: false,
        };
        assert_eq!(
            period(Some(running), Some(30), NOW),
            (NOW + 2 * DAY, Some(NOW + 32 * DAY))
        );
        // Within the grace, before removal: still from its end.
        let lapsed = Standing {
            ends_at: Some(NOW - 3600),
            ended: false,
        };
        assert_eq!(period(Some(lapsed), Some(7), NOW).0, NOW - 3600);
    }

    #[test]
    fn a_new_or_ended_membership_starts_now_and_lifetime_never_ends() {
        assert_eq!(period(None, Some(7), NOW), (NOW, Some(NOW + 7 * DAY)));
        let ended = Standing {
            ends_at: Some(NOW - DAY),
            ended: true,
        };
        assert_eq!(
            period(Some(ended), Some(7), NOW),
            (NOW, Some(NOW + 7 * DAY))
        );
        assert_eq!(period(None, None, NOW), (NOW, None));
    }

    #[test]
    fn reminders_go_three_days_then_one_day_before_the_end() {
        let end = NOW + 10 * DAY;
        assert_eq!(reminder_due(end, None, NOW), None);
        assert_eq!(reminder_due(end, None, end - 3 * DAY), Some(3));
        assert_eq!(reminder_due(end, Some(3), end - 2 * DAY), None);
        assert_eq!(reminder_due(end, Some(3), end - DAY), Some(1));
        assert_eq!(reminder_due(end, Some(1), end - 60), None);
        // Never reminded: whichever is due now, once.
        assert_eq!(reminder_due(end, None, end - 2 * DAY), Some(3));
        assert_eq!(reminder_due(end, None, end - DAY + 1), Some(1));
        assert_eq!(reminder_due(end, None, end), None);
        assert!(is_period(30) && !is_period(31));
    }
}
