//! Inline-button payloads: what a button asks for, encoded in Telegram's 64-byte callback data.

use super::state::EditField;
use crate::domain::OrderStatus;
use crate::domain::product::ProductKind;
use std::str::FromStr;

/// A button press, parsed. Anything that does not parse is a stale or forged button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The welcome menu (what /start shows).
    Menu,
    /// The category list, page n (or every product when there are no categories).
    Categories(i64),
    /// Products of a category (`None`: all products), page n.
    Browse(Option<i64>, i64),
    /// Search results for folded words, page n.
    Search(String, i64),
    /// Asks for search words.
    SearchPrompt,
    Product(i64),
    Buy(i64),
    Pay(i64, String),
    Check(i64),
    Cancel(i64),
    Simulate(i64),
    Redownload(i64),
    /// A short-lived download link for a purchased file.
    Link(i64),
    /// /purchases, page n.
    Purchases(i64),
    Sell,
    PickCategory(i64),
    /// /sell's category choice, page n.
    SellCategories(i64),
    PickKind(ProductKind),
    /// An access product's period in days (0: lifetime).
    PickTerm(i64),
    /// /myproducts: an access product's members.
    Members(i64),
    /// The seller ends a member's access (product, member): asked first, then done.
    EndMember(i64, i64),
    EndMemberConfirmed(i64, i64),
    /// "Problem with this order": a dispute about a purchase.
    DisputeOpen(i64),
    /// Write in a dispute's thread.
    DisputeReply(i64),
    /// Admins settle a dispute: refund in full, in part, or close it.
    DisputeRefund(i64),
    DisputePart(i64),
    DisputeClose(i64),
    /// A buyer rates an order's product (1 to 5 stars).
    Rate(i64, i64),
    /// A product's reviews, page n.
    Reviews(i64, i64),
    /// The seller answers a review.
    ReviewAnswer(i64),
    /// An admin hides a review from its product's page.
    HideReview(i64),
    /// A seller's profile.
    Seller(i64),
    /// "Have a code?" on the menu of ways to pay.
    CouponAsk(i64),
    /// "Notify me" when a sold-out product is back.
    NotifyMe(i64),
    /// /sell without a cover photo.
    SkipPhoto,
    /// /myproducts: the cover photo removed.
    RemovePhoto(i64),
    Publish,
    DiscardDraft,
    Language(String),
    WalletReplace,
    WalletKeep,
    /// /myproducts, page n.
    MyProducts(i64),
    Manage(i64),
    /// Pause or resume.
    Toggle(i64),
    Edit(i64, EditField),
    Delete(i64),
    DeleteConfirmed(i64),
    /// An admin confirms /payout_now for the total (in cents) they were shown.
    PayoutGo(i64),
    PayoutDrop,
    /// /payments page n, optionally of one status.
    AdminPayments(i64, Option<String>),
    /// One payment with its IPN history.
    AdminPayment(i64),
    BroadcastGo(i64),
    BroadcastDrop(i64),
    /// /paysupport: the buyer asks for help with an order.
    Support(i64),
    /// The buyer writes (again) to the admins about an order.
    SupportWrite(i64),
    /// An admin answers the buyer who wrote about an order: (order, buyer).
    SupportReply(i64, i64),
    /// An admin's alert asks for /refund of an order (confirmation first).
    AskRefund(i64),
    /// An admin's alert asks for /markpaid of an order (confirmation first).
    AskMarkPaid(i64),
    /// An admin confirms the refund of an order asked from an alert.
    RefundConfirmed(i64),
    /// An admin confirms /markpaid for this order.
    MarkPaid(i64),
}

/// The longest search text kept in a button (callback data is 64 bytes at most).
const MAX_SEARCH_DATA: usize = 40;

/// The highest page number a list is read at (far past any real list's end).
pub const MAX_PAGE: i64 = 1_000_000;

impl Action {
    pub fn encode(&self) -> String {
        match self {
            Action::Menu => "menu".into(),
            Action::Categories(0) => "cats".into(),
            Action::Categories(page) => format!("cats:{page}"),
            Action::Browse(cat, page) => format!(
                "browse:{}:{page}",
                cat.map(|c| c.to_string()).unwrap_or_default()
            ),
            Action::Search(words, page) => {
                let mut words = words.clone();
                while words.len() > MAX_SEARCH_DATA {
                    words.pop();
                }
                format!("srch:{page}:{words}")
            }
            Action::SearchPrompt => "srchask".into(),
            Action::Product(id) => format!("prod:{id}"),
            Action::Buy(id) => format!("buy:{id}"),
            Action::Pay(id, coin) => format!("pay:{id}:{coin}"),
            Action::Check(id) => format!("chk:{id}"),
            Action::Cancel(id) => format!("cxl:{id}"),
            Action::Simulate(id) => format!("sim:{id}"),
            Action::Redownload(id) => format!("dl:{id}"),
            Action::Support(id) => format!("sup:{id}"),
            Action::SupportWrite(id) => format!("supw:{id}"),
            Action::SupportReply(order, buyer) => format!("supr:{order}:{buyer}"),
            Action::AskRefund(id) => format!("askr:{id}"),
            Action::AskMarkPaid(id) => format!("askm:{id}"),
            Action::RefundConfirmed(id) => format!("rfd:{id}"),
            Action::Link(id) => format!("link:{id}"),
            Action::Purchases(0) => "purchases".into(),
            Action::Purchases(page) => format!("purchases:{page}"),
            Action::Sell => "sell".into(),
            Action::PickCategory(id) => format!("pcat:{id}"),
            Action::SellCategories(page) => format!("pcats:{page}"),
            Action::PickKind(kind) => format!("kind:{}", kind.as_str()),
            Action::PickTerm(days) => format!("term:{days}"),
            Action::Members(id) => format!("mbrs:{id}"),
            Action::EndMember(product, member) => format!("mend:{product}:{member}"),
            Action::EndMemberConfirmed(product, member) => format!("mendy:{product}:{member}"),
            Action::DisputeOpen(id) => format!("dspo:{id}"),
            Action::DisputeReply(id) => format!("dspr:{id}"),
            Action::DisputeRefund(id) => format!("dspf:{id}"),
            Action::DisputePart(id) => format!("dspp:{id}"),
            Action::DisputeClose(id) => format!("dspc:{id}"),
            Action::NotifyMe(id) => format!("ntf:{id}"),
            Action::CouponAsk(id) => format!("cpn:{id}"),
            Action::Rate(order, stars) => format!("rate:{order}:{stars}"),
            Action::Reviews(product, page) => format!("revs:{product}:{page}"),
            Action::ReviewAnswer(id) => format!("rans:{id}"),
            Action::HideReview(id) => format!("rhide:{id}"),
            Action::Seller(id) => format!("slr:{id}"),
            Action::SkipPhoto => "nophoto".into(),
            Action::RemovePhoto(id) => format!("rmphoto:{id}"),
            Action::Publish => "publish".into(),
            Action::DiscardDraft => "discard".into(),
            Action::Language(code) => format!("lang:{code}"),
            Action::WalletReplace => "wallet:replace".into(),
            Action::WalletKeep => "wallet:keep".into(),
            Action::MyProducts(0) => "myp".into(),
            Action::MyProducts(page) => format!("myp:{page}"),
            Action::Manage(id) => format!("mng:{id}"),
            Action::Toggle(id) => format!("tgl:{id}"),
            Action::Edit(id, field) => format!("edit:{id}:{}", field.as_str()),
            Action::Delete(id) => format!("del:{id}"),
            Action::DeleteConfirmed(id) => format!("delok:{id}"),
            Action::PayoutGo(total) => format!("payout:go:{total}"),
            Action::PayoutDrop => "payout:no".into(),
            Action::AdminPayments(page, status) => {
                format!("adm:pp:{page}:{}", status.as_deref().unwrap_or_default())
            }
            Action::AdminPayment(id) => format!("adm:p:{id}"),
            Action::BroadcastGo(id) => format!("bc:go:{id}"),
            Action::BroadcastDrop(id) => format!("bc:no:{id}"),
            Action::MarkPaid(id) => format!("mkp:{id}"),
        }
    }

    /// The row offset of `page` of `page_size` rows. Page numbers come from callback data a
    /// client can forge, so they are clamped: no page multiplies past what any list holds.
    pub fn offset(page: i64, page_size: i64) -> i64 {
        page.clamp(0, MAX_PAGE) * page_size
    }

    pub fn parse(data: &str) -> Option<Action> {
        // Search words may hold anything folded text holds (letters, digits, spaces): split once.
        if let Some(rest) = data.strip_prefix("srch:") {
            let (page, words) = rest.split_once(':')?;
            return Some(Action::Search(
                words.to_string(),
                page.parse().ok().filter(|p: &i64| *p >= 0)?,
            ));
        }
        let mut parts = data.split(':');
        let head = parts.next()?;
        let mut id = || {
            parts
                .next()
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|n| *n >= 0)
        };
        let action = match head {
            "menu" => Action::Menu,
            "cats" => Action::Categories(match parts.next() {
                None => 0,
                Some(page) => page.parse().ok().filter(|p: &i64| *p >= 0)?,
            }),
            "srchask" => Action::SearchPrompt,
            "browse" => {
                let cat = parts.next()?;
                let cat = if cat.is_empty() {
                    None
                } else {
                    Some(cat.parse::<i64>().ok().filter(|n| *n >= 0)?)
                };
                Action::Browse(cat, parts.next()?.parse::<i64>().ok().filter(|n| *n >= 0)?)
            }
            "prod" => Action::Product(id()?),
            "buy" => Action::Buy(id()?),
            "chk" => Action::Check(id()?),
            "cxl" => Action::Cancel(id()?),
            "sim" => Action::Simulate(id()?),
            "dl" => Action::Redownload(id()?),
            "sup" => Action::Support(id()?),
            "supw" => Action::SupportWrite(id()?),
            "supr" => {
                let order = id()?;
                Action::SupportReply(order, id()?)
            }
            "askr" => Action::AskRefund(id()?),
            "askm" => Action::AskMarkPaid(id()?),
            "rfd" => Action::RefundConfirmed(id()?),
            "mkp" => Action::MarkPaid(id()?),
            "link" => Action::Link(id()?),
            "purchases" => Action::Purchases(match parts.next() {
                None => 0,
                Some(page) => page.parse().ok().filter(|p: &i64| *p >= 0)?,
            }),
            "sell" => Action::Sell,
            "pcat" => Action::PickCategory(id()?),
            "pcats" => Action::SellCategories(id()?),
            "kind" => Action::PickKind(ProductKind::parse(parts.next()?)?),
            "mbrs" => Action::Members(id()?),
            "mend" => Action::EndMember(id()?, id()?),
            "mendy" => Action::EndMemberConfirmed(id()?, id()?),
            "term" => {
                Action::PickTerm(id().filter(|d| *d == 0 || crate::domain::access::is_period(*d))?)
            }
            "dspo" => Action::DisputeOpen(id()?),
            "dspr" => Action::DisputeReply(id()?),
            "dspf" => Action::DisputeRefund(id()?),
            "dspp" => Action::DisputePart(id()?),
            "dspc" => Action::DisputeClose(id()?),
            "ntf" => Action::NotifyMe(id()?),
            "cpn" => Action::CouponAsk(id()?),
            "rate" => {
                let order = id()?;
                Action::Rate(order, id().filter(|s| (1..=5).contains(s))?)
            }
            "revs" => {
                let product = id()?;
                Action::Reviews(product, id().filter(|p| *p <= MAX_PAGE)?)
            }
            "rans" => Action::ReviewAnswer(id()?),
            "rhide" => Action::HideReview(id()?),
            "slr" => Action::Seller(id()?),
            "nophoto" => Action::SkipPhoto,
            "rmphoto" => Action::RemovePhoto(id()?),
            "publish" => Action::Publish,
            "discard" => Action::DiscardDraft,
            "myp" => Action::MyProducts(match parts.next() {
                None => 0,
                Some(page) => page.parse().ok().filter(|p: &i64| *p >= 0)?,
            }),
            "mng" => Action::Manage(id()?),
            "tgl" => Action::Toggle(id()?),
            "del" => Action::Delete(id()?),
            "delok" => Action::DeleteConfirmed(id()?),
            "edit" => {
                let product = id()?;
                Action::Edit(product, EditField::parse(parts.next()?)?)
            }
            "pay" => {
                let product = id()?;
                let coin = parts.next()?.to_string();
                if coin.is_empty()
                    || coin.len() > 20
                    || !coin.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return None;
                }
                Action::Pay(product, coin)
            }
            "lang" => Action::Language(parts.next()?.to_string()),
            "wallet" => match parts.next()? {
                "replace" => Action::WalletReplace,
                "keep" => Action::WalletKeep,
                _ => return None,
            },
            "bc" => match parts.next()? {
                "go" => Action::BroadcastGo(parts.next()?.parse().ok().filter(|n: &i64| *n > 0)?),
                "no" => Action::BroadcastDrop(parts.next()?.parse().ok().filter(|n: &i64| *n > 0)?),
                _ => return None,
            },
            "adm" => match parts.next()? {
                "pp" => {
                    let page = parts.next()?.parse().ok().filter(|n: &i64| *n >= 0)?;
                    let status = parts.next()?;
                    let status = match status {
                        "" => None,
                        s => Some(OrderStatus::from_str(s).ok()?.as_str().to_string()),
                    };
                    Action::AdminPayments(page, status)
                }
                "p" => Action::AdminPayment(parts.next()?.parse().ok().filter(|n: &i64| *n > 0)?),
                _ => return None,
            },
            "payout" => match parts.next()? {
                "go" => Action::PayoutGo(parts.next()?.parse().ok().filter(|n: &i64| *n >= 0)?),
                "no" => Action::PayoutDrop,
                _ => return None,
            },

            _ => return None,
        };
        parts.next().is_none().then_some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fits_telegram() {
        let all = [
            Action::Menu,
            Action::Categories(0),
            Action::Categories(4),
            Action::SellCategories(2),
            Action::Browse(None, 0),
            Action::Browse(Some(i64::MAX), 7),
            Action::Search("cafe creme".into(), 2),
            Action::SearchPrompt,
            Action::Product(i64::MAX),
            Action::Buy(1),
            Action::Pay(i64::MAX, "usdttrc20".into()),
            Action::Pay(7, "mm_wave".into()),
            Action::Support(12),
            Action::SupportWrite(12),
            Action::SupportReply(i64::MAX, i64::MAX),
            Action::AskRefund(i64::MAX),
            Action::AskMarkPaid(i64::MAX),
            Action::RefundConfirmed(i64::MAX),
            Action::Check(9),
            Action::Cancel(9),
            Action::Simulate(9),
            Action::Redownload(9),
            Action::Link(9),
            Action::Purchases(0),
            Action::Purchases(3),
            Action::Sell,
            Action::PickCategory(3),
            Action::PickKind(ProductKind::Items),
            Action::PickTerm(0),
            Action::PickTerm(365),
            Action::Members(i64::MAX),
            Action::EndMember(i64::MAX, i64::MAX),
            Action::EndMemberConfirmed(1, 2),
            Action::SkipPhoto,
            Action::NotifyMe(i64::MAX),
            Action::CouponAsk(i64::MAX),
            Action::Rate(i64::MAX, 5),
            Action::Reviews(i64::MAX, 3),
            Action::ReviewAnswer(i64::MAX),
            Action::HideReview(i64::MAX),
            Action::Seller(i64::MAX),
            Action::RemovePhoto(i64::MAX),
            Action::DisputeOpen(i64::MAX),
            Action::DisputeReply(3),
            Action::DisputeRefund(3),
            Action::DisputePart(3),
            Action::DisputeClose(3),
            Action::Edit(4, EditField::Photo),
            Action::Publish,
            Action::DiscardDraft,
            Action::Language("fr".into()),
            Action::WalletReplace,
            Action::WalletKeep,
            Action::MyProducts(0),
            Action::MyProducts(9),
            Action::Manage(i64::MAX),
            Action::Toggle(4),
            Action::Edit(i64::MAX, EditField::Description),
            Action::Delete(4),
            Action::DeleteConfirmed(i64::MAX),
            Action::PayoutGo(i64::MAX),
            Action::PayoutDrop,
            Action::AdminPayments(i64::MAX, Some("partially_paid".into())),
            Action::AdminPayments(0, None),
            Action::AdminPayment(i64::MAX),
            Action::BroadcastGo(i64::MAX),
            Action::BroadcastDrop(1),
            Action::MarkPaid(i64::MAX),
        ];

        for a in all {
            let data = a.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Action::parse(&data), Some(a));
        }
    }

    #[test]
    fn long_searches_are_cut_to_fit() {
        let a = Action::Search("x".repeat(100), 123);
        assert!(a.encode().len() <= 64);
    }

    #[test]
    fn garbage_is_refused() {
        for bad in [
            "",
            "buy",
            "buy:x",
            "buy:-1",
            "pay:1",
            "pay:1:b-c",
            "chk:1:2",
            "nope:1",
            "edit:1:color",
            "kind:car",
            "browse:x:1",
            "srch:x:y",
        ] {
            assert_eq!(Action::parse(bad), None, "{bad}");
        }
    }
}
