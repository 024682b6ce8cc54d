//! Payout runs that cross, as the real `souk payout` processes: two at the same moment, one
//! started while another is stuck in a slow NOWPayments search longer than the lease, and one
//! started after a run was killed -9. One NOWPayments batch per run that pays, each seller paid
//! once, nothing credited back. Runs in the SQLite suite (the same code on PostgreSQL is covered
//! by the in-process races in `safety::payouts`).

use crate::payouts::{available, output, seller_with_sales, souk_payout, spawn_payout_app};
use crate::support::fake_telegram::TgUser;
use std::time::Duration;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payout_processes_that_cross_pay_each_seller_once() {
    if std::env::var("SOUK_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        eprintln!("runs in the SQLite suite");
        return;
    }
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(16_001, "en");
    seller_with_sales(&app, &seller, 2).await;
    let dir = tempfile::tempdir().unwrap();

    // Two runs at the same moment: one batch.
    let (one, two) = tokio::join!(
        output(souk_payout(&app, dir.path())),
        output(souk_payout(&app, dir.path()))
    );
    let (one, two) = (stdout(&one), stdout(&two));
    let sent = [&one, &two]
        .iter()
        .filter(|o| o.contains("sent: 1 payouts"))
        .count();
    assert_eq!(sent, 1, "{one}\n---\n{two}");
    assert_eq!(app.np.batches().len(), 1);
    assert_eq!(available(&app, seller.id).await, 0);

    // A week later: a run spends 36 s in NOWPayments' withdrawal search (three slow pages of an
    // account's older withdrawals: past the 30 s lease, which its heartbeat keeps renewing); a
    // run started meanwhile leaves the batch alone.
    sell_again(&app, &seller, 1).await;
    app.np.add_foreign_withdrawals(250);
    for _ in 0..3 {
        app.np
            .hold_next_answer("GET /payout", Duration::from_secs(12));
    }
    let stuck = tokio::spawn(output(souk_payout(&app, dir.path())));
    tokio::time::sleep(Duration::from_secs(32)).await;
    let meanwhile = stdout(&output(souk_payout(&app, dir.path())).await);
    let stuck = stdout(&stuck.await.unwrap());
    assert!(
        meanwhile.contains("another run holds the open batch"),
        "{meanwhile}\n--- the stuck run:\n{stuck}\n{:#?}",
        app.np.requests()
    );
    assert!(stuck.contains("sent: 1 payouts"), "{stuck}");
    assert_eq!(souk_batches(&app), 2, "one batch per run that paid");

    // A week later again: the run is killed -9 in its search; a run started at once is told
    // when the batch can be resumed, and a run after that time pays it, once.
    sell_again(&app, &seller, 2).await;
    app.np
        .hold_next_answer("GET /payout", Duration::from_secs(120));
    let mut killed = souk_payout(&app, dir.path()).spawn().unwrap();
    let np = app.np.clone();
    let searches = move || {
        np.requests()
            .iter()
            .filter(|r| r.starts_with("GET /v1/payout?"))
            .count()
    };
    let before = searches();
    for _ in 0..400 {
        if searches() > before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    killed.kill().unwrap();
    killed.wait().unwrap();
    let told = stdout(&output(souk_payout(&app, dir.path())).await);
    assert!(
        told.contains("another run holds the open batch (until"),
        "{told}"
    );
    tokio::time::sleep(Duration::from_secs(31)).await;
    let resumed = stdout(&output(souk_payout(&app, dir.path())).await);
    assert!(resumed.contains("sent: 1 payouts"), "{resumed}");
    assert_eq!(souk_batches(&app), 3);
    let ours = app.np.withdrawals().iter().filter(|w| is_souks(w)).count();
    assert_eq!(ours, 3, "each week's earnings paid once");
    assert_eq!(available(&app, seller.id).await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payout_reversal'")
            .await,
        0
    );
    app.stop().await;
}

fn is_souks(w: &crate::support::fake_nowpayments::custody::FakeWithdrawal) -> bool {
    w.unique_external_id
        .as_deref()
        .is_some_and(|id| id.starts_with("souk-payout-"))
}

/// NOWPayments batches souk created (not the account's older ones).
fn souk_batches(app: &crate::support::app::TestApp) -> usize {
    app.np
        .batches()
        .iter()
        .filter(|b| b.withdrawals.iter().any(is_souks))
        .count()
}

/// Two more $25 sales (a new product each week).
async fn sell_again(app: &crate::support::app::TestApp, seller: &TgUser, week: i64) {
    use crate::support::flows::{open_currencies, pay_with, publish};
    let product = publish(app, seller, &format!("Week {week}"), "25", "BQACAgWeek").await;
    for n in 0..2 {
        let buyer = TgUser::new(seller.id * 100 + week * 10 + n, "en");
        let coins = open_currencies(app, &buyer, product).await;
        let (_, _, p) = pay_with(app, &buyer, &coins, "BTC").await;
        assert_eq!(app.report(&p, "finished").await, 200);
    }
}
