//! `/export` as a CSV document: one row per order, ledger entry or payout, dollars with their
//! two decimals and times in UTC, so that a spreadsheet sums them to what `/stats` shows.

use crate::domain::UsdCents;
use crate::store::exports::Line;

const HEADER: &str = "record,id,time_utc,order_id,product_id,seller_id,buyer_id,status_or_kind,\
currency,price_usd,commission_usd,total_usd,discount_usd,amount_usd,sold_utc,reference";

/// The CSV text of `lines` (RFC 4180: fields quoted when they hold a comma, a quote or a line
/// break; lines end with CRLF).
pub fn csv(lines: &[Line]) -> String {
    let mut out = format!("{HEADER}\r\n");
    for l in lines {
        let id = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let usd = |v: Option<i64>| v.map(|c| UsdCents(c).to_string()).unwrap_or_default();
        let time = |v: Option<i64>| v.map(utc).unwrap_or_default();
        let fields = [
            l.record.to_string(),
            l.id.to_string(),
            utc(l.at),
            id(l.order_id),
            id(l.product_id),
            l.seller_id.to_string(),
            id(l.buyer_id),
            l.status.clone(),
            l.currency.clone(),
            usd(l.price),
            usd(l.commission),
            usd(l.total),
            usd(l.discount),
            usd(l.amount),
            time(l.sold_at),
            l.reference.clone(),
        ];
        let row: Vec<String> = fields.iter().map(|f| quoted(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// "2026-11-29 10:00:00", UTC.
fn utc(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_quoted_when_they_must_be_and_amounts_keep_their_cents() {
        let line = Line {
            record: "ledger",
            id: 3,
            at: 1_795_219_200,
            order_id: Some(7),
            seller_id: 42,
            status: "refund".into(),
            currency: "USD".into(),
            amount: Some(-2570),
            reference: "a,\"b\"".into(),
            ..Line::default()
        };
        let text = csv(&[line]);
        let row = text.lines().nth(1).unwrap();
        assert_eq!(
            row,
            "ledger,3,2026-11-21 00:00:00,7,,42,,refund,USD,,,,,-25.70,,\"a,\"\"b\"\"\""
        );
    }
}
