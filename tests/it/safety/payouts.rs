//! Payout runs that cross: one NOWPayments batch, each seller paid once, and no credit-back of
//! money that was paid.

use crate::payouts::{available, payer, seller_with_sales, spawn_payout_app};
use crate::support::app::ADMIN;
use crate::support::fake_telegram::TgUser;
use souk::services::payouts::RunOutcome;
use std::time::Duration;

async fn reversals(app: &crate::support::app::TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payout_reversal'")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runs_at_once_and_a_run_taking_over_a_stuck_one_pay_each_seller_once() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(12_201, "en");
    seller_with_sales(&app, &seller, 3).await;
    let (a, b) = (payer(&app), payer(&app));

    // Two runs at the same moment: one pays, the other is told the batch is held.
    app.np
        .hold_next_answer("GET /payout", Duration::from_millis(300));
    let (first, second) = tokio::join!(a.run("cron"), b.run("admin"));
    let outcomes = [first.unwrap(), second.unwrap()];
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, RunOutcome::Sent(_)))
            .count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .any(|o| matches!(o, RunOutcome::Busy { .. } | RunOutcome::NothingToPay)),
        "{outcomes:?}"
    );
    assert_eq!(app.np.batches().len(), 1);

    // New sales; a run gets stuck in a slow search for an earlier batch, long enough for its
    // hold to run out (a frozen process); a second run takes the batch over and pays it.
    seller_with_sales_again(&app, &seller).await;
    app.np
        .hold_next_answer("GET /payout", Duration::from_secs(3));
    let stuck = tokio::spawn({
        let a = a.clone();
        async move { a.run("cron").await }
    });
    let np = app.np.clone();
    wait_until(|| {
        np.requests()
            .iter()
            .filter(|r| r.starts_with("GET /v1/payout?"))
            .count()
            == 2
    })
    .await;
    sqlx::query("UPDATE payout_batches SET lease_until = 0")
        .execute(app.store.pool())
        .await
        .unwrap();
    let taken_over = b.run("/payout_now").await.unwrap();
    assert!(matches!(taken_over, RunOutcome::Sent(_)), "{taken_over:?}");
    let stuck = stuck.await.unwrap();
    assert!(
        !matches!(stuck, Ok(RunOutcome::Sent(_))),
        "the run that lost its hold pays nothing: {stuck:?}"
    );
    assert_eq!(app.np.batches().len(), 2, "one batch per run that paid");
    assert_eq!(
        app.np.withdrawals().len(),
        2,
        "each seller paid once per batch"
    );
    assert_eq!(reversals(&app).await, 0);
    assert_eq!(available(&app, seller.id).await, 0);
    app.tg.wait_for_text(ADMIN, "another run").await;
    app.stop().await;
}

/// Two more $25 sales for the seller (a second week).
async fn seller_with_sales_again(app: &crate::support::app::TestApp, seller: &TgUser) {
    use crate::support::flows::{open_currencies, pay_with, publish};
    let product = publish(app, seller, "Guide, volume 2", "25", "BQACAgGuide2").await;
    for n in 0..2 {
        let buyer = TgUser::new(seller.id * 100 + 50 + n, "en");
        let coins = open_currencies(app, &buyer, product).await;
        let (_, _, payment) = pay_with(app, &buyer, &coins, "BTC").await;
        assert_eq!(app.report(&payment, "finished").await, 200);
    }
}

async fn wait_until(check: impl Fn() -> bool) {
    for _ in 0..400 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_found_past_the_first_two_thousand_withdrawals_is_never_credited_back() {
    let mut app = spawn_payout_app().await;
    let sellers: Vec<TgUser> = (0..3).map(|i| TgUser::new(12_211 + i, "en")).collect();
    for s in &sellers {
        seller_with_sales(&app, s, 2).await;
    }
    // The account paid 1,998 withdrawals before: souk's three land at 1,998, 1,999 and 2,000.
    app.np.add_foreign_withdrawals(1998);
    let p = payer(&app);
    // NOWPayments creates the batch, but the answer is lost (the run dies there).
    app.np.lose_next_answer("POST /payout");
    assert!(p.run("cron").await.is_err());
    assert_eq!(app.np.batches().len(), 2);

    let outcome = p.run("resume").await.unwrap();
    let RunOutcome::Sent(report) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!((report.count, report.failures), (3, 0));
    assert_eq!(reversals(&app).await, 0, "nothing paid is credited back");
    assert_eq!(app.np.batches().len(), 2, "no second batch");
    for s in &sellers {
        assert_eq!(available(&app, s.id).await, 0);
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banned_seller_is_not_paid_the_admins_are_told_and_unban_releases_the_money() {
    let mut app = spawn_payout_app().await;
    let admin = TgUser::new(ADMIN, "en");
    let (banned, other) = (TgUser::new(12_221, "en"), TgUser::new(12_222, "en"));
    seller_with_sales(&app, &banned, 2).await;
    seller_with_sales(&app, &other, 2).await;
    app.tg.send_text(&admin, &format!("/ban {}", banned.id));
    app.tg.wait_for_text(ADMIN, "is banned").await;

    let p = payer(&app);
    let RunOutcome::Sent(report) = p.run("cron").await.unwrap() else {
        panic!("the other seller is paid")
    };
    assert_eq!(report.count, 1);
    assert_eq!(app.np.withdrawals().len(), 1);
    assert_eq!(available(&app, other.id).await, 0);
    assert_eq!(available(&app, banned.id).await, 5000, "held, not paid");
    app.tg
        .wait_for_text(
            ADMIN,
            &format!("Payout held: seller {} is banned", banned.id),
        )
        .await;

    app.tg.send_text(&admin, &format!("/unban {}", banned.id));
    app.tg.wait_for_text(ADMIN, "pays what was held").await;
    let RunOutcome::Sent(report) = p.run("cron").await.unwrap() else {
        panic!("the unbanned seller is paid")
    };
    assert_eq!(report.count, 1);
    assert_eq!(available(&app, banned.id).await, 0);
    assert_eq!(app.np.withdrawals().len(), 2);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sellers_are_told_when_their_payout_is_released() {
    let mut app = spawn_payout_app().await;
    let sellers: Vec<TgUser> = (0..2).map(|i| TgUser::new(12_231 + i, "en")).collect();
    for s in &sellers {
        seller_with_sales(&app, s, 2).await;
    }
    let p = payer(&app);
    app.np.fail_next("/payout/5000000713/verify", 1, 503);
    assert!(p.run("cron").await.is_err());
    app.np.reject_unverified();
    let outcome = p.run("cron").await.unwrap();
    assert!(matches!(outcome, RunOutcome::Released(_)), "{outcome:?}");
    for s in &sellers {
        app.tg
            .wait_for_text(
                s.id,
                "Your payout of 50.00 USDT (TRC20) was not sent this time",
            )
            .await;
        assert_eq!(available(&app, s.id).await, 5000);
    }
    app.tg.wait_for_text(ADMIN, "was not paid").await;
    app.stop().await;
}
