//! The `souk` command line: `run` (the default), `migrate`, `payout [--dry-run]`, `job NAME`,
//! `backup PATH`, `healthcheck` and `app-link --user ID`.

use clap::{Parser, Subcommand};
use souk::app::{Application, Tuning, shutdown_signal};
use souk::config::Config;
use souk::core::{Core, Sandbox, open_store};
use souk::jobs;
use souk::services::payouts::{self, Payer};
use souk::store::Store;
use std::process::ExitCode;

/// mimalloc: a tenth of the IPN path's time went to glibc's allocator (issue 18's profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "souk",
    version,
    about = "A Telegram marketplace for digital goods"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Migrate the database, then run the bot, the HTTP server and the scheduler (the default).
    Run,
    /// Apply database migrations and exit.
    Migrate,
    /// Run one scheduled job now for its current slot, unless a process ran that slot already
    /// (for operators who drive jobs from an outside scheduler).
    Job {
        #[arg(value_enum)]
        name: JobName,
    },
    /// Exit 0 if the souk on this machine's PORT answers /healthz (the container HEALTHCHECK).
    Healthcheck,
    /// Write a consistent snapshot of the SQLite database to PATH (VACUUM INTO), while souk runs.
    Backup {
        /// Where the snapshot goes; it must not exist yet.
        path: std::path::PathBuf,
    },
    /// Print a URL that opens the Mini App outside Telegram as user ID (signed launch data,
    /// good for MINIAPP_AUTH_MAX_AGE), for local trials in any browser.
    AppLink {
        /// The Telegram user id to sign in as.
        #[arg(long)]
        user: i64,
        /// Open a product's page first (its id).
        #[arg(long)]
        product: Option<i64>,
    },
    /// Pay sellers now, as the weekly job does (or resume an unfinished payout run).
    Payout {
        /// Print who would be paid (seller, address, amount) and send nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum JobName {
    /// Every 5 minutes: lost payment notifications and abandoned orders.
    Reconcile,
    /// Hourly: unfinished payouts and abandoned payout batches.
    PayoutPoll,
    /// Daily: custody coins into the payout coin.
    Convert,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = dotenvy::dotenv();
    souk::telemetry::init();
    let result = match cli.command.unwrap_or(Cmd::Run) {
        Cmd::Run => run().await,
        Cmd::Migrate => migrate().await,
        Cmd::Payout { dry_run } => payout(dry_run).await,
        Cmd::Job { name } => job(name).await,
        Cmd::Backup { path } => backup(&path).await,
        Cmd::Healthcheck => healthcheck().await,
        Cmd::AppLink { user, product } => app_link(user, product).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line; the chain says which variable or step failed.
            eprintln!("souk: {}", souk::telemetry::scrub(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

/// Reads the configuration and hides its secrets from the logs.
fn load_config() -> anyhow::Result<Config> {
    let config = Config::from_env()?;
    souk::telemetry::hide(config.secrets());
    Ok(config)
}

/// `DATABASE_URL` for the commands that need nothing else, its password hidden from the logs.
fn database_url() -> String {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://souk.db".into());
    souk::telemetry::hide(souk::config::database_password(&url));
    url
}

async fn run() -> anyhow::Result<()> {
    // Installed first: a SIGTERM while souk starts still stops it cleanly.
    let stop = shutdown_signal();
    let config = load_config()?;
    let app = Application::build(config).await?;
    app.run_until(stop).await
}

/// The core the server builds, for a command run beside it (the simulator, in sandbox mode,
/// would post to the server's port).
async fn core(config: &Config) -> anyhow::Result<Core> {
    let sandbox = Sandbox {
        port: config.port,
        step_delay: Tuning::default().sandbox_step_delay,
    };
    Core::build(config, sandbox).await
}

/// The payout runner, or why payouts are off.
fn payer(core: &Core) -> anyhow::Result<&Payer> {
    core.payer.as_ref().ok_or_else(|| {
        anyhow::anyhow!(
            "payouts are off: set NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD and NOWPAYMENTS_2FA_SECRET"
        )
    })
}

/// `souk app-link`: the app's address (`MINIAPP_URL`, else this machine's `/app`) with launch
/// data signed for the user (their name and language when souk knows them).
async fn app_link(user: i64, product: Option<i64>) -> anyhow::Result<()> {
    use secrecy::ExposeSecret;
    let config = load_config()?;
    let base = match &config.miniapp.url {
        Some(url) => url.clone(),
        None => url::Url::parse(&format!("http://127.0.0.1:{}/app", config.port))?,
    };
    let store = open_store(&config.database_url).await?;
    let known = souk::store::users::profile(&store, user).await?;
    let (first_name, language) =
        known.unwrap_or_else(|| (user.to_string(), config.default_language.clone()));
    let trial = souk::miniapp::link::TrialUser {
        id: user,
        first_name: &first_name,
        language: &language,
    };
    let start = product.map(|p| format!("p_{p}"));
    let link = souk::miniapp::link::trial_link(
        &base,
        config.telegram_token.expose_secret(),
        &trial,
        start.as_deref(),
        souk::store::now(),
    );
    println!("{link}");
    Ok(())
}

async fn migrate() -> anyhow::Result<()> {
    open_store(&database_url()).await?;
    println!("migrations applied");
    Ok(())
}

async fn payout(dry_run: bool) -> anyhow::Result<()> {
    let config = load_config()?;
    let core = core(&config).await?;
    let store = core.store.clone();
    let currency = souk::payments::currencies::label(&config.payout_currency);
    if dry_run {
        let plan =
            payouts::preview(&store, &config.payout_currency, config.payouts.minimum).await?;
        println!(
            "dry run: nothing is sent. Sellers with a wallet and at least {} available:",
            config.payouts.minimum
        );
        for p in &plan {
            println!(
                "seller {}\t{}\t{} {currency}",
                p.seller_id, p.address, p.amount
            );
        }
        println!(
            "{} payouts, {} {currency} in total",
            plan.len(),
            souk::domain::payout::total(&plan)
        );
        return Ok(());
    }
    let outcome = payer(&core)?.run("command line").await?;
    println!("{outcome}");
    store.close().await;
    Ok(())
}

async fn job(name: JobName) -> anyhow::Result<()> {
    let config = load_config()?;
    if config.nowpayments.is_none() || config.sandbox() {
        anyhow::bail!(
            "NOWPAYMENTS_API_KEY: scheduled jobs talk to NOWPayments (sandbox mode has none)"
        );
    }
    let core = core(&config).await?;
    let store = core.store.clone();
    let now = chrono::Utc::now();
    let (job, slot, ran) = match name {
        JobName::Reconcile => {
            let r = jobs::reconcile::Reconciler {
                rails: core.rails.clone(),
                settler: core.settler.clone(),
            };

            (
                "reconcile",
                jobs::minute_slot(now),
                jobs::reconcile_slot(&r, now).await,
            )
        }
        JobName::PayoutPoll => (
            "payout-poll",
            jobs::hour_slot(now),
            jobs::payout_poll_slot(payer(&core)?, now).await,
        ),
        JobName::Convert => {
            let c = jobs::convert::Converter::for_payer(payer(&core)?);
            (
                "convert",
                jobs::day_slot(now),
                jobs::convert_slot(&c, now).await,
            )
        }
    };
    // The outcome itself is in the log line `job done` (or `job failed`).
    if ran {
        println!("{job} {slot}: ran");
    } else {
        println!("{job} {slot}: already run by another process");
    }
    store.close().await;
    Ok(())
}

async fn backup(path: &std::path::Path) -> anyhow::Result<()> {
    let url = database_url();
    if !url.starts_with("sqlite:") {
        anyhow::bail!(
            "DATABASE_URL: souk backup snapshots SQLite; for PostgreSQL use pg_dump (see the README)"
        );
    }
    if path.exists() {
        anyhow::bail!("{} exists already; choose a new path", path.display());
    }
    let store = Store::connect(&url)
        .await
        .map_err(|e| anyhow::anyhow!("DATABASE_URL: {e}"))?;
    store.backup_to(path).await?;
    store.close().await;
    println!("backup written to {}", path.display());
    Ok(())
}

async fn healthcheck() -> anyhow::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".into());
    let url = format!("http://127.0.0.1:{port}/healthz");
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(3))
        .build()?;
    let resp = client
        .get(&url)
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{url}: {}", e.without_url()))?;
    if !resp.status().is_success() {
        anyhow::bail!("{url} answered {}", resp.status());
    }
    println!("healthy");
    Ok(())
}
