//! `souk payout` killed at every step (SIGKILL) never creates a second withdrawal.

use super::*;

/// `souk payout` as a separate process, against the test's database and fake NOWPayments.
pub fn souk_payout(app: &TestApp, dir: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_souk"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(dir)
        .arg("payout")
        .env("TELOXIDE_TOKEN", "123:not-used-by-payout")
        .env("DATABASE_URL", &app.database_url)
        .env("NOWPAYMENTS_API_URL", app.np.url())
        .env("NOWPAYMENTS_API_KEY", API_KEY)
        .env("NOWPAYMENTS_IPN_SECRET", IPN_SECRET)
        .env("ADMIN_IDS", ADMIN.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in custody_env() {
        cmd.env(k, v);
    }
    cmd
}

/// Runs a command to the end without blocking the test's runtime (the fakes run on it).
pub async fn output(mut cmd: std::process::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..400 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Starts `souk payout`, waits for `moment`, then kills it (SIGKILL: no clean-up at all).
async fn kill_when(app: &TestApp, dir: &std::path::Path, what: &str, moment: impl Fn() -> bool) {
    let mut child = souk_payout(app, dir).spawn().unwrap();
    until(what, moment).await;
    child.kill().unwrap();
    child.wait().unwrap();
    // The dead process held the batch for `LEASE_SECONDS`; let that time pass.
    sqlx::query("UPDATE payout_batches SET lease_until = 0")
        .execute(app.store.pool())
        .await
        .unwrap();
}

async fn batch_rows(app: &TestApp) -> Vec<(String, Option<String>)> {
    sqlx::query_as("SELECT status, remote_id FROM payout_batches ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn killing_the_payout_process_at_every_step_never_creates_a_second_withdrawal() {
    let mut app = spawn_payout_app().await;
    let seller = TgUser::new(7601, "en");
    seller_with_sales(&app, &seller, 3).await;
    let dir = tempfile::tempdir().unwrap();
    let hold = Duration::from_secs(60);
    let seen = |prefix: &'static str| {
        let np = app.np.clone();
        move || {
            np.requests()
                .iter()
                .filter(|r| r.starts_with(prefix))
                .count()
        }
    };

    // The dry run prints the plan (seller, address, amount) and sends nothing.
    let mut dry = souk_payout(&app, dir.path());
    dry.arg("--dry-run");
    let plan = String::from_utf8(output(dry).await.stdout).unwrap();
    assert!(
        plan.contains(&format!("seller 7601\t{TRON}\t75.00 USDT")),
        "{plan}"
    );
    assert!(
        plan.contains("1 payouts, 75.00 USDT (TRC20) in total"),
        "{plan}"
    );
    assert_eq!(app.np.auth_calls(), 0, "a dry run does not even sign in");

    // 1. Killed while asking for the custody balance: nothing is reserved yet.
    app.np.hold_next_answer("GET /balance", hold);
    let balance_calls = seen("GET /v1/balance");
    kill_when(&app, dir.path(), "the balance check", || {
        balance_calls() == 1
    })
    .await;
    assert!(batch_rows(&app).await.is_empty());
    assert_eq!(available(&app, seller.id).await, 7500);

    // 2. Killed after reserving, while looking for an earlier batch: planned, nothing created.
    app.np.hold_next_answer("GET /payout", hold);
    let searches = seen("GET /v1/payout?");
    kill_when(&app, dir.path(), "the search", || searches() == 1).await;
    assert_eq!(batch_rows(&app).await, [("planned".to_string(), None)]);
    assert_eq!(
        available(&app, seller.id).await,
        0,
        "reserved before any API call"
    );
    assert!(app.np.batches().is_empty());

    // 3. Killed after NOWPayments created the batch, before souk recorded its id.
    app.np.hold_next_answer("POST /payout", hold);
    let np = app.np.clone();
    kill_when(&app, dir.path(), "the batch", move || {
        np.batches().len() == 1
    })
    .await;
    assert_eq!(batch_rows(&app).await, [("planned".to_string(), None)]);

    // 4. Killed after NOWPayments verified the batch, before souk recorded it.
    app.np.hold_next_answer("POST /payout/", hold);
    let np = app.np.clone();
    kill_when(&app, dir.path(), "the verification", move || {
        np.batches().first().is_some_and(|b| b.verified)
    })
    .await;
    let remote = app.np.batches()[0].id.clone();
    assert_eq!(
        batch_rows(&app).await,
        [("created".to_string(), Some(remote.clone()))]
    );

    // 5. A run that is left alone finishes the same batch without a second code.
    let out = output(souk_payout(&app, dir.path())).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{stdout}{stderr}{:#?}",
        app.np.requests()
    );
    assert!(stdout.contains("sent: 1 payouts, 75.00"), "{stdout}");
    for secret in [PASSWORD, TOTP_SECRET, API_KEY, IPN_SECRET] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "a secret leaked"
        );
    }
    assert_eq!(
        batch_rows(&app).await,
        [("verified".to_string(), Some(remote))]
    );
    assert_eq!(app.np.batches().len(), 1);
    assert_eq!(
        app.np.withdrawals().len(),
        1,
        "one withdrawal for these earnings"
    );
    assert_eq!(app.np.verify_calls(), 1);
    let payout_entries: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'payout'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(payout_entries, 1);
    assert_eq!(available(&app, seller.id).await, 0);
    app.tg.wait_for_text(seller.id, "is on its way").await;

    // 6. And one more run finds nothing to pay.
    let out = output(souk_payout(&app, dir.path())).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to pay"));
    assert_eq!(app.np.withdrawals().len(), 1);

    // The dry run prints the plan and sends nothing.
    let mut dry = souk_payout(&app, dir.path());
    dry.arg("--dry-run");
    let out = output(dry).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 payouts"));
    app.stop().await;
}
