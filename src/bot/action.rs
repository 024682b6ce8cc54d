//! Inline-button payloads: what a button asks for, encoded in Telegram's 64-byte callback data.

/// A button press, parsed. Anything that does not parse is a stale or forged button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Browse(i64),
    Product(i64),
    Buy(i64),
    Pay(i64, String),
    Check(i64),
    Cancel(i64),
    Simulate(i64),
    Redownload(i64),
    Purchases,
    Sell,
    Publish,
    DiscardDraft,
    Language(String),
    WalletReplace,
    WalletKeep,
}

impl Action {
    pub fn encode(&self) -> String {
        match self {
            Action::Browse(page) => format!("browse:{page}"),
            Action::Product(id) => format!("prod:{id}"),
            Action::Buy(id) => format!("buy:{id}"),
            Action::Pay(id, coin) => format!("pay:{id}:{coin}"),
            Action::Check(id) => format!("chk:{id}"),
            Action::Cancel(id) => format!("cxl:{id}"),
            Action::Simulate(id) => format!("sim:{id}"),
            Action::Redownload(id) => format!("dl:{id}"),
            Action::Purchases => "purchases".into(),
            Action::Sell => "sell".into(),
            Action::Publish => "publish".into(),
            Action::DiscardDraft => "discard".into(),
            Action::Language(code) => format!("lang:{code}"),
            Action::WalletReplace => "wallet:replace".into(),
            Action::WalletKeep => "wallet:keep".into(),
        }
    }

    pub fn parse(data: &str) -> Option<Action> {
        let mut parts = data.split(':');
        let head = parts.next()?;
        let mut id = || {
            parts
                .next()
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|n| *n >= 0)
        };
        let action = match head {
            "browse" => Action::Browse(id()?),
            "prod" => Action::Product(id()?),
            "buy" => Action::Buy(id()?),
            "chk" => Action::Check(id()?),
            "cxl" => Action::Cancel(id()?),
            "sim" => Action::Simulate(id()?),
            "dl" => Action::Redownload(id()?),
            "purchases" => Action::Purchases,
            "sell" => Action::Sell,
            "publish" => Action::Publish,
            "discard" => Action::DiscardDraft,
            "pay" => {
                let product = id()?;
                let coin = parts.next()?.to_string();
                if coin.is_empty()
                    || coin.len() > 20
                    || !coin.bytes().all(|b| b.is_ascii_alphanumeric())
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
            _ => return None,
        };
        parts.next().is_none().then_some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn round_trips_and_fits_telegram() {
        let all = [
            Action::Browse(3),
            Action::Product(i64::MAX),
            Action::Buy(1),
            Action::Pay(i64::MAX, "usdttrc20".into()),
            Action::Check(9),
            Action::Cancel(9),
            Action::Simulate(9),
            Action::Redownload(9),
            Action::Purchases,
            Action::Sell,
            Action::Publish,
            Action::DiscardDraft,
            Action::Language("fr".into()),
            Action::WalletReplace,
            Action::WalletKeep,
        ];
        for a in all {
            let data = a.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Action::parse(&data), Some(a));
        }
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
        ] {
            assert_eq!(Action::parse(bad), None, "{bad}");
        }
    }
}
