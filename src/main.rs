//! The `souk` command line: `run` (the default) and `migrate`.

use clap::{Parser, Subcommand};
use souk::app::{Application, shutdown_signal};
use souk::config::Config;
use souk::store::Store;
use std::process::ExitCode;

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
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = dotenvy::dotenv();
    souk::telemetry::init();
    let result = match cli.command.unwrap_or(Cmd::Run) {
        Cmd::Run => run().await,
        Cmd::Migrate => migrate().await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line; the chain says which variable or step failed.
            eprintln!("souk: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let app = Application::build(config).await?;
    app.run_until(shutdown_signal()).await
}

async fn migrate() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://souk.db".into());
    let store = Store::connect(&url)
        .await
        .map_err(|e| anyhow::anyhow!("DATABASE_URL: {e}"))?;
    store.migrate().await?;
    println!("migrations applied");
    Ok(())
}
