//! The refund window (`SALE_HOLD_DAYS`): a sale's credit is paid out only once it clears; a
//! refund inside the window takes back the held credit, never the available balance; a refund
//! after a payout leaves a negative balance that later sales repay before anything is paid.

use super::{available, custody_env, payer, seller_with_sales};
use crate::support::app::{ADMIN, Options, TestApp, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with};
use souk::services::payouts::RunOutcome;

pub async fn spawn_app_holding(days: &str) -> TestApp {
    let mut env = custody_env();
    env.push(("SALE_HOLD_DAYS", days.into()));
    spawn_app_with(Options {
        extra_env: env,
        ..Options::default()
    })
    .await
}

pub async fn ledger_sum(app: &TestApp, seller: i64) -> i64 {
    app.scalar(&format!(
        "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE seller_id = {seller}"
    ))
    .await
}

async fn first_order(app: &TestApp, seller: i64) -> i64 {
    app.scalar(&format!(
        "SELECT MIN(id) FROM orders WHERE seller_id = {seller}"
    ))
    .await
}

/// The window passes: every held entry of the seller clears now.
pub async fn window_passes(app: &TestApp, seller: i64) {
    sqlx::query(
        "UPDATE ledger_entries SET clears_at = $1 WHERE seller_id = $2 AND clears_at IS NOT NULL",
    )
    .bind(souk::store::now() - 1)
    .bind(seller)
    .execute(app.store.pool())
    .await
    .unwrap();
}

async fn refund(app: &TestApp, order: i64) {
    let admin = TgUser::new(ADMIN, "en");
    app.tg.send_text(&admin, &format!("/refund {order}"));
    app.tg.wait_for_text(ADMIN, "is marked refunded").await;
}

#[tokio::test]
async fn a_sale_is_paid_only_after_its_window_and_a_refund_inside_it_takes_back_the_held_credit() {
    let mut app = spawn_app_holding("7").await;
    let seller = TgUser::new(13_001, "en");
    seller_with_sales(&app, &seller, 3).await;
    let sale = app.tg.wait_for_text(seller.id, "Sale!").await;
    assert!(
        sale.text().unwrap().contains("It is held until 20"),
        "{:?}",
        sale.text()
    );
    let balances = souk::store::ledger::balances(&app.store, seller.id)
        .await
        .unwrap();
    assert_eq!((balances.available.0, balances.held.0), (0, 7500));
    let until = balances.held_until.unwrap();
    let week = souk::store::now() + 7 * 86_400;
    assert!((week - 60..=week).contains(&until), "{until} vs {week}");
    app.tg.send_text(&seller, "/earnings");
    let earnings = app.tg.wait_for_text(seller.id, "Your earnings").await;
    let text = earnings.text().unwrap();
    assert!(text.contains("Available: $0.00"), "{text}");
    assert!(
        text.contains(&format!(
            "Held for the refund window: $75.00, until {}",
            souk::i18n::date(until)
        )),
        "{text}"
    );

    // Nothing has cleared: the run pays nobody.
    let p = payer(&app);
    assert!(matches!(
        p.run("cron").await.unwrap(),
        RunOutcome::NothingToPay
    ));
    assert!(app.np.withdrawals().is_empty());

    // A refund inside the window comes out of the held credit.
    let order = first_order(&app, seller.id).await;
    refund(&app, order).await;
    app.tg
        .wait_for_text(
            seller.id,
            "comes out of the money held for the refund window",
        )
        .await;
    let balances = souk::store::ledger::balances(&app.store, seller.id)
        .await
        .unwrap();
    assert_eq!((balances.available.0, balances.held.0), (0, 5000));
    assert_eq!(ledger_sum(&app, seller.id).await, 5000);
    let same_window = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM ledger_entries r JOIN ledger_entries s ON s.reference = 'sale:{order}' \
             WHERE r.reference = 'refund:{order}' AND r.clears_at = s.clears_at"
        ))
        .await;
    assert_eq!(same_window, 1, "the refund clears with its sale");

    // The window passes: exactly what is left is paid.
    window_passes(&app, seller.id).await;
    assert_eq!(available(&app, seller.id).await, 5000);
    let RunOutcome::Sent(report) = p.run("cron").await.unwrap() else {
        panic!("the cleared sales are paid")
    };
    assert_eq!(report.count, 1);
    assert_eq!(app.np.withdrawals()[0].amount, "50.00");
    assert_eq!(available(&app, seller.id).await, 0);
    assert_eq!(ledger_sum(&app, seller.id).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_refund_after_payout_leaves_a_debt_that_later_sales_repay_before_any_payout() {
    let mut app = spawn_app_holding("0").await;
    let seller = TgUser::new(13_011, "en");
    seller_with_sales(&app, &seller, 2).await;
    let p = payer(&app);
    assert!(matches!(p.run("cron").await.unwrap(), RunOutcome::Sent(_)));
    assert_eq!(app.np.withdrawals()[0].amount, "50.00");
    assert_eq!(available(&app, seller.id).await, 0);

    let order = first_order(&app, seller.id).await;
    refund(&app, order).await;
    app.tg
        .wait_for_text(seller.id, "Available balance: -$25.00")
        .await;
    assert_eq!(available(&app, seller.id).await, -2500);
    assert!(matches!(
        p.run("cron").await.unwrap(),
        RunOutcome::NothingToPay
    ));
    assert_eq!(
        app.np.withdrawals().len(),
        1,
        "nothing is paid against a debt"
    );

    // Three more sales: $75 less the $25 owed, and exactly that is paid.
    let product = app
        .scalar(&format!(
            "SELECT MIN(id) FROM products WHERE seller_id = {}",
            seller.id
        ))
        .await;
    for n in 0..3 {
        let buyer = TgUser::new(13_050 + n, "en");
        let coins = open_currencies(&app, &buyer, product).await;
        let (order, _, payment) = pay_with(&app, &buyer, &coins, "BTC").await;
        app.report(&payment, "finished").await;
        assert_eq!(app.order_status(order).await, "finished");
    }
    assert_eq!(available(&app, seller.id).await, 5000);
    let RunOutcome::Sent(_) = p.run("cron").await.unwrap() else {
        panic!("the repaid balance is paid")
    };
    assert_eq!(app.np.withdrawals()[1].amount, "50.00");
    assert_eq!(available(&app, seller.id).await, 0);
    assert_eq!(ledger_sum(&app, seller.id).await, 0);
    app.stop().await;
}
