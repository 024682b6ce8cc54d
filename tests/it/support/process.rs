//! `souk` as a separate process (the release binary an operator runs), for replica and crash
//! tests: started with the test's fakes and database, killed with SIGKILL, started again.

use super::app::{ADMIN, API_KEY, IPN_SECRET};
use super::fake_nowpayments::FakeNowPayments;
use super::fake_telegram::{FakeTelegram, token};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const WEBHOOK_PATH: &str = "/telegram/hook";
pub const WEBHOOK_SECRET: &str = "replica-Secret_1";

/// The fakes `souk` processes share, as a shop the story steps run against.
pub struct Deployment {
    pub tg: FakeTelegram,
    pub np: FakeNowPayments,
}

impl super::flows::Shop for Deployment {
    fn tg(&self) -> &FakeTelegram {
        &self.tg
    }
    fn np(&self) -> &FakeNowPayments {
        &self.np
    }
}

/// One running `souk`.
pub struct Souk {
    pub port: u16,
    child: Child,
    pub log: PathBuf,
}

/// How to start one: the fakes, the database, webhook mode or long polling.
#[derive(Clone)]
pub struct Setup {
    pub tg: FakeTelegram,
    pub np: FakeNowPayments,
    pub database_url: String,
    pub dir: PathBuf,
    pub webhook: bool,
}

/// Whether this suite runs on PostgreSQL (crash tests of the default deployment, SQLite, run
/// once, in the SQLite suite).
pub fn on_postgres() -> bool {
    std::env::var("SOUK_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres"))
}

impl Setup {
    /// The default deployment: one SQLite file in `dir`, long polling.
    pub fn sqlite(tg: &FakeTelegram, np: &FakeNowPayments, dir: &std::path::Path) -> Setup {
        Setup {
            tg: tg.clone(),
            np: np.clone(),
            database_url: format!("sqlite://{}", dir.join("souk.db").display()),
            dir: dir.to_path_buf(),
            webhook: false,
        }
    }

    /// The same deployment on another database.
    pub fn on_database(self, database_url: String) -> Setup {
        Setup {
            database_url,
            ..self
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Souk {
    /// Starts `souk` and waits until it answers `/healthz`.
    pub async fn start(setup: &Setup, name: &str) -> Souk {
        let port = free_port();
        let log = setup.dir.join(format!("{name}-{port}.log"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_souk"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TELOXIDE_TOKEN", token())
            .env("TELOXIDE_API_URL", setup.tg.api_url().to_string())
            .env("DATABASE_URL", &setup.database_url)
            .env("PORT", port.to_string())
            .env("NOWPAYMENTS_API_URL", setup.np.url())
            .env("NOWPAYMENTS_API_KEY", API_KEY)
            .env("NOWPAYMENTS_IPN_SECRET", IPN_SECRET)
            .env("IPN_CALLBACK_URL", "https://souk.example/ipn/nowpayments")
            .env("ADMIN_IDS", ADMIN.to_string())
            .env("FILES_DIR", setup.dir.join("files"))
            .env("RUST_LOG", "warn,souk=info")
            .current_dir(&setup.dir)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        if setup.webhook {
            cmd.env(
                "TELEGRAM_WEBHOOK_URL",
                format!("https://souk.example{WEBHOOK_PATH}"),
            )
            .env("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET);
        }
        let child = cmd.spawn().expect("start souk");
        let souk = Souk { port, child, log };
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = http.get(souk.url("/healthz")).send().await
                && r.status().is_success()
            {
                return souk;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "souk did not come up: {}",
            std::fs::read_to_string(&souk.log).unwrap_or_default()
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// SIGKILL: no clean-up at all, as a crash or an OOM kill.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Souk {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Posts a signed IPN to one replica; `None` when it did not answer (down, or cut off).
pub async fn post_ipn(http: &reqwest::Client, souk_url: &str, body: &str) -> Option<u16> {
    let sig = souk::payments::nowpayments::signature::sign(IPN_SECRET, body).unwrap();
    http.post(format!("{souk_url}/ipn/nowpayments"))
        .header("content-type", "application/json")
        .header("x-nowpayments-sig", sig)
        .body(body.to_string())
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}
