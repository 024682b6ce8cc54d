//! `spawn_app()`: the real souk application on port 0, a fresh database, fake Telegram and NOWPayments.

use super::fake_nowpayments::{FakeNowPayments, FakePayment};
use super::fake_telegram::{FakeTelegram, token};
use souk::app::{Application, Tuning};
use souk::config::Config;
use souk::store::Store;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const API_KEY: &str = "np-test-api-key";
pub const IPN_SECRET: &str = "np-test-ipn-secret";
pub const ADMIN: i64 = 900_001;

/// A running souk with its fakes. Dropping it stops nothing cleanly: call `stop()`.
pub struct TestApp {
    pub tg: FakeTelegram,
    pub np: FakeNowPayments,
    pub port: u16,
    pub store: Store,
    pub database_url: String,
    pub http: reqwest::Client,
    pub sandbox: bool,
    /// What the app was started with.
    pub config: Config,
    /// The app's own core: its rails, its settler, its payer.
    pub core: souk::core::Core,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh database for one test: a SQLite file in a temp dir, or, when SOUK_TEST_DATABASE_URL
/// names a PostgreSQL server, a new database created on it.
pub async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    match std::env::var("SOUK_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
    {
        Some(admin_url) => {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos();
            let name = format!("souk_test_{}_{}_{}", std::process::id(), n, nanos);
            let admin = Store::connect(&admin_url)
                .await
                .expect("connect to SOUK_TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .expect("create test database");
            admin.close().await;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .unwrap();
            (format!("{base}/{name}"), None)
        }
        None => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("souk.db").display());
            (url, Some(dir))
        }
    }
}

#[derive(Default)]
pub struct Options {
    pub sandbox: bool,
    /// Keep souk's real rate limit (tests otherwise type faster than any person).
    pub real_rate_limit: bool,
    pub extra_env: Vec<(&'static str, String)>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_sandbox_app() -> TestApp {
    spawn_app_with(Options {
        sandbox: true,
        ..Options::default()
    })
    .await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let tg = FakeTelegram::start().await;
    let np = FakeNowPayments::start(API_KEY).await;
    let (database_url, dir) = fresh_database().await;
    let mut app = start(
        tg,
        np,
        database_url,
        options.sandbox,
        options.real_rate_limit,
        &options.extra_env,
    )
    .await;
    app._dir = dir;
    app
}

async fn start(
    tg: FakeTelegram,
    np: FakeNowPayments,
    database_url: String,
    sandbox: bool,
    real_rate_limit: bool,
    extra: &[(&str, String)],
) -> TestApp {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("TELOXIDE_TOKEN".into(), token().to_string()),
        ("TELOXIDE_API_URL".into(), tg.api_url().to_string()),
        ("DATABASE_URL".into(), database_url.clone()),
        ("PORT".into(), "0".into()),
        ("NOWPAYMENTS_API_URL".into(), np.url()),
        ("ADMIN_IDS".into(), ADMIN.to_string()),
        // Today's behaviour: a sale's credit can be paid at once (tests of the refund window
        // set their own).
        ("SALE_HOLD_DAYS".into(), "0".into()),
    ]);
    if sandbox {
        vars.insert("NOWPAYMENTS_IPN_SECRET".into(), IPN_SECRET.into());
    } else {
        vars.insert("NOWPAYMENTS_API_KEY".into(), API_KEY.into());
        vars.insert("NOWPAYMENTS_IPN_SECRET".into(), IPN_SECRET.into());
        vars.insert(
            "IPN_CALLBACK_URL".into(),
            "https://souk.example/ipn/nowpayments".into(),
        );
    }
    for (k, v) in extra {
        vars.insert(k.to_string(), v.clone());
    }
    let config = Config::from_vars(&vars).expect("test config");
    let mut tuning = Tuning {
        sandbox_step_delay: Duration::from_millis(50),
        // NOWPayments is checked often and counted down after 300 ms in tests.
        provider_check: (Duration::from_millis(50), Duration::from_millis(300)),
        ..Tuning::default()
    };

    if !real_rate_limit {
        tuning.rate_limit = (1000, Duration::from_millis(1));
        tuning.flood_limit = (1000, Duration::from_millis(1));
        tuning.inline_limit = (1000, Duration::from_millis(1));
    }
    let app = Application::build_with(config.clone(), tuning)
        .await
        .expect("build app");
    let port = app.port();
    let store = app.store().clone();
    let core = app.core().clone();
    let (tx, rx) = oneshot::channel();
    let task = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        tg,
        np,
        port,
        store,
        database_url,
        http: reqwest::Client::new(),
        sandbox,
        config,
        core,
        stop: Some(tx),
        task: Some(task),
        _dir: None,
    }
}

impl TestApp {
    /// The hourly reconciliation job, as the scheduler would build it for this app.
    pub fn reconciler(&self) -> souk::jobs::reconcile::Reconciler {
        souk::jobs::reconcile::Reconciler {
            settler: self.settler(),
            rails: self.core.rails.clone(),
        }
    }

    /// The app's own settler: the one door its IPNs, bot and jobs go through.
    pub fn settler(&self) -> souk::services::settlement::Settler {
        self.core.settler.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Stops the application (as SIGTERM would) and waits for it to finish.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(20), task)
                .await
                .expect("app stops in time")
                .unwrap()
                .unwrap();
        }
    }

    /// Stops and starts souk again on the same database and fakes (a process restart).
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let dir = self._dir.take();
        let mut app = self.replica().await;
        app._dir = dir;
        app
    }

    /// A second souk on the same database and fakes (another replica).
    pub async fn replica(&self) -> TestApp {
        start(
            self.tg.clone(),
            self.np.clone(),
            self.database_url.clone(),
            self.sandbox,
            false,
            &[],
        )
        .await
    }

    /// Posts an IPN signed with the app's secret, as NOWPayments would.
    /// NOWPayments reports `status` for `payment`, the full amount paid: a signed IPN posted to
    /// souk. Returns souk's answer.
    pub async fn report(&self, payment: &FakePayment, status: &str) -> reqwest::StatusCode {
        let body = self
            .np
            .ipn_body(&payment.payment_id, status, &payment.pay_amount);
        self.post_ipn(&body).await
    }

    pub async fn post_ipn(&self, body: &str) -> reqwest::StatusCode {
        let sig = souk::payments::nowpayments::signature::sign(IPN_SECRET, body).unwrap();
        self.post_ipn_with(body, Some(&sig)).await
    }

    pub async fn post_ipn_with(&self, body: &str, sig: Option<&str>) -> reqwest::StatusCode {
        let mut req = self
            .http
            .post(self.url("/ipn/nowpayments"))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(sig) = sig {
            req = req.header("x-nowpayments-sig", sig);
        }
        req.send().await.unwrap().status()
    }

    /// The one number a query selects (a count, a sum).
    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    /// The status of an order, read from the database.
    pub async fn order_status(&self, order_id: i64) -> String {
        souk::store::orders::get(&self.store, order_id)
            .await
            .unwrap()
            .unwrap()
            .status
            .to_string()
    }
}
