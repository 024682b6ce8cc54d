//! The server around the core (`crate::core`): `build_with` builds every part (file store, bot,
//! HTTP server, outbox worker, jobs, monitor, broadcaster); `run_until` starts them under one
//! runtime and shuts them down cleanly.

use crate::bot::{self, Deps};
use crate::config::Config;
use crate::core::{Core, Sandbox};
use crate::delivery::Deliverer;
use crate::files::FileStore;
use crate::files::copies::FileCopies;
use crate::files::local::LocalDir;
use crate::files::s3::S3Store;
use crate::http::{self, HttpState};
use crate::jobs::convert::Converter;

use crate::services::broadcast::Broadcaster;
use crate::services::checkout::Checkout;
use crate::store::Store;
use crate::store::dialogues::DialogueStore;
use anyhow::Context;
use secrecy::ExposeSecret;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use teloxide::adaptors::throttle::Limits;
use teloxide::dispatching::Dispatcher;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Update workers: each chat always lands on the same one, so its updates stay in order.
const DISPATCH_WORKERS: i64 = 64;

/// A built application, ready to run.
/// Tests build the very same thing on port 0.
pub struct Application {
    core: Core,
    listener: TcpListener,
    port: u16,
    bot: Bot,
    deps: Arc<Deps>,
    http_state: HttpState,
    /// The outbox worker.
    deliverer: Deliverer,
    /// What the scheduler runs.
    jobs: crate::jobs::Jobs,
    /// Tells every worker to stop; created early so that broadcasts can watch it.
    stop_tx: watch::Sender<bool>,
    stop_rx: watch::Receiver<bool>,
    webhook: Option<crate::config::WebhookConfig>,
    /// Absent in sandbox mode (the simulator is never down).
    monitor: Option<crate::jobs::monitor::ProviderMonitor>,
    /// Drops floods before they reach the dispatcher's queues.
    gate: Arc<bot::gate::UpdateGate>,
}

/// Options that tests (and only tests) change.
#[derive(Debug, Clone)]
pub struct Tuning {
    /// Pause between the sandbox's simulated IPNs.
    pub sandbox_step_delay: Duration,
    /// Per-user burst of commands and presses, and how often one more is allowed.
    pub rate_limit: (u32, Duration),
    /// Per-user burst and refill of the flood gate in front of the dispatcher (drops silently).
    pub flood_limit: (u32, Duration),
    /// Per-user burst and refill of inline searches.
    pub inline_limit: (u32, Duration),
    /// How often NOWPayments is checked, and how long it may be down before admins are told.
    pub provider_check: (Duration, Duration),
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            sandbox_step_delay: Duration::from_millis(1500),
            rate_limit: (12, Duration::from_millis(700)),
            flood_limit: (24, Duration::from_millis(350)),
            inline_limit: (8, Duration::from_millis(500)),
            provider_check: (Duration::from_secs(60), Duration::from_secs(5 * 60)),
        }
    }
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        Application::build_with(config, Tuning::default()).await
    }

    pub async fn build_with(config: Config, tuning: Tuning) -> anyhow::Result<Application> {
        crate::metrics::init();
        let listener = TcpListener::bind(("0.0.0.0", config.port))
            .await
            .with_context(|| format!("PORT: cannot listen on {}", config.port))?;
        let port = listener.local_addr()?.port();

        let mut bot = Bot::new(config.telegram_token.expose_secret());
        if let Some(url) = &config.telegram_api_url {
            bot = bot.set_api_url(url.clone());
        }
        let me = bot.get_me().await.map_err(|e| {
            anyhow::anyhow!("TELOXIDE_TOKEN: Telegram did not accept the bot token ({e})")
        })?;
        let bot_username = me.username.clone().unwrap_or_default();
        if config.webhook.is_none() {
            http::telegram::may_poll(&bot, config.take_over_webhook).await?;
        }
        if config.metrics_token.is_none() {
            tracing::info!(
                "GET /metrics answers this machine only: set METRICS_TOKEN to scrape it from elsewhere"
            );
        }

        let core = Core::build(
            &config,
            Sandbox {
                port,
                step_delay: tuning.sandbox_step_delay,
            },
        )
        .await?;
        let store = core.store.clone();
        let files = Arc::new(match &config.s3 {
            Some(s3) => FileStore::S3(S3Store::new(s3)),
            None => FileStore::Local(LocalDir::new(config.files_dir.clone())),
        });
        tracing::info!(storage = files.describe(), "product files are copied to");
        let file_copies = FileCopies {
            store: store.clone(),
            files: files.clone(),
            bot: bot.clone(),
        };
        let converter = match (&core.payer, config.auto_convert) {
            (Some(p), true) => Some(Converter::for_payer(p)),
            _ => None,
        };
        let monitor =
            (config.crypto() && !config.sandbox()).then(|| crate::jobs::monitor::ProviderMonitor {
                store: store.clone(),
                gateway: core.gateway.clone(),
                every: tuning.provider_check.0,
                down_after: tuning.provider_check.1,
            });
        let (stop_tx, stop_rx) = watch::channel(false);
        // One handle for the whole process: without the database, deliveries and broadcasts
        // still pace together.
        let budget = crate::delivery::budget::SendBudget::new(store.clone());
        let broadcaster = Broadcaster {
            store: store.clone(),
            throttled: bot.clone().throttle(Limits::default()),
            bot: bot.clone(),
            default_language: config.default_language.clone(),
            progress_every: Duration::from_secs(3),
            stop: stop_rx.clone(),
            running: Arc::new(AtomicUsize::new(0)),
            active: Arc::default(),
            budget: budget.clone(),
            runner: crate::services::broadcast::runner_name(),
        };
        let deps = Arc::new(Deps {
            core: core.clone(),
            checkout: Checkout {
                store: store.clone(),
                rails: core.rails.clone(),
                commission: config.commission,
            },
            minimum_price: config.minimum_price,
            payout_currency: config.payout_currency.clone(),
            default_language: config.default_language.clone(),
            bot_username,
            limiter: bot::ratelimit::RateLimiter::new(tuning.rate_limit.0, tuning.rate_limit.1),
            inline_limiter: bot::ratelimit::RateLimiter::new(
                tuning.inline_limit.0,
                tuning.inline_limit.1,
            ),
            files,
            file_copies,
            broadcaster,
            terms: config.terms.clone(),
            stars_per_usd: config.stars_per_usd,
            public_url: config.public_url.clone(),
            miniapp_url: config.miniapp.url.clone(),
        });
        let http_state = HttpState {
            core: core.clone(),
            ipn_secret: config.ipn_secret.clone(),
            metrics_token: config.metrics_token.clone(),
            bot: Some(bot.clone()),
            app: Some(std::sync::Arc::new(crate::http::app::AppSettings {
                bot_token: config.telegram_token.clone(),
                max_age: config.miniapp.auth_max_age,
                limiter: bot::ratelimit::RateLimiter::new(tuning.rate_limit.0, tuning.rate_limit.1),
                commission: config.commission,
                stars_per_usd: config.stars_per_usd,
                default_language: config.default_language.clone(),
                checkout: Checkout {
                    store: store.clone(),
                    rails: core.rails.clone(),
                    commission: config.commission,
                },
                public_url: config.public_url.clone(),
                files: deps.files.clone(),
            })),
        };
        // Every worker is built here; `run_until` only starts them.
        let deliverer = Deliverer {
            store: store.clone(),
            bot: bot.clone(),
            wake: store.outbox_queued(),
            default_language: config.default_language.clone(),
            files: deps.files.clone(),
            holder: crate::store::lease::holder_name("outbox"),
            budget,
        };
        let jobs = crate::jobs::Jobs {
            reconciler: crate::jobs::reconcile::Reconciler {
                settler: core.settler.clone(),
                rails: core.rails.clone(),
            },
            payouts: core.payer.clone().map(|p| (p, config.payouts.cron.clone())),
            converter,
            stars: core
                .rails
                .named("stars")
                .map(|_| crate::jobs::stars::StarsLedger {
                    settler: core.settler.clone(),
                    bot: bot.clone(),
                }),
        };
        Ok(Application {
            core,
            deliverer,
            jobs,
            listener,
            port,
            bot,
            deps,
            http_state,
            stop_tx,
            stop_rx,
            webhook: config.webhook,
            monitor,
            gate: Arc::new(bot::gate::UpdateGate::new(
                tuning.flood_limit.0,
                tuning.flood_limit.1,
            )),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn store(&self) -> &Store {
        &self.core.store
    }

    /// What the application shares with the command line and the tests.
    pub fn core(&self) -> &Core {
        &self.core
    }

    /// Runs the bot, the HTTP server, the outbox worker and the scheduler until `shutdown` completes.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = (self.stop_tx, self.stop_rx);

        let (webhook_listener, router) = match &self.webhook {
            Some(config) => {
                let (listener, route) = http::telegram::setup(&self.bot, config).await?;
                (Some(listener), http::router(self.http_state).merge(route))
            }
            None => (None, http::router(self.http_state)),
        };
        let router = http::harden(router, http::HttpLimits::default());
        let mut http_stop = stop_rx.clone();
        let server = tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(self.listener, service)
                .with_graceful_shutdown(async move {
                    let _ = http_stop.changed().await;
                })
                .await
        });

        let delivery = tokio::spawn(self.deliverer.run(stop_rx.clone()));
        // SQLite's log is checkpointed beside the commits, not inside them.
        tokio::spawn(crate::store::wal::checkpoint_loop(
            self.core.store.clone(),
            stop_rx.clone(),
        ));

        let mut scheduler = crate::jobs::start(self.jobs)
            .await
            .context("job scheduler failed to start (is PAYOUT_CRON a six-field cron?)")?;

        let admins = self.core.admins().to_vec();
        bot::commands::register(
            &self.bot,
            &self.core.store,
            &admins,
            &self.deps.default_language,
            self.deps.miniapp_url.as_ref(),
        )
        .await;
        if let Some(monitor) = self.monitor {
            tokio::spawn(monitor.run(stop_rx.clone()));
        }
        tokio::spawn(self.deps.broadcaster.clone().resume_loop());
        let sweeper = self.deps.file_copies.clone();
        tokio::spawn(async move { sweeper.sweep().await });
        let dialogue_store = DialogueStore::<bot::state::State>::new(self.core.store.clone());
        let mut dispatcher = Dispatcher::builder(self.bot.clone(), bot::schema())
            .dependencies(dptree::deps![self.deps.clone(), dialogue_store])
            .error_handler(LoggingErrorHandler::with_custom_text("a handler failed"))
            // A fixed pool of workers instead of one per chat: a chat's updates still go to one
            // worker, in order, but 10,000 chats no longer mean 10,000 queues in memory.
            .distribution_function(|update: &teloxide::types::Update| {
                update
                    .chat()
                    .map(|chat| chat.id.0.rem_euclid(DISPATCH_WORKERS))
            })
            // With the flood gate in front, one user can queue at most its burst: a worker's
            // queue never fills, so the dispatcher never waits on one chat.
            .worker_queue_size(64)
            .build();

        let token = dispatcher.shutdown_token();
        let gate = self.gate;
        let errors = LoggingErrorHandler::with_custom_text("update listener error");
        let bot_task = match webhook_listener {
            Some(listener) => tokio::spawn(async move {
                let listener = bot::gate::Gated::new(listener, gate);
                dispatcher.dispatch_with_listener(listener, errors).await;
            }),
            None => {
                // A stop waits for the long poll in flight: 5 s keeps a SIGTERM well inside
                // Docker's 10 s grace period.
                let listener = Polling::builder(self.bot.clone())
                    .timeout(Duration::from_secs(5))
                    .delete_webhook()
                    .await
                    .build();
                let listener = bot::gate::Gated::new(listener, gate);
                tokio::spawn(async move {
                    let _ = dispatcher
                        .try_dispatch_with_listener(listener, errors)
                        .await;
                })
            }
        };
        tracing::info!(port = self.port, "souk is running");

        shutdown.await;
        tracing::info!("shutting down");
        if self.webhook.is_some() {
            // The webhook's update stream ends only when the HTTP server lets go of its route.
            let _ = stop_tx.send(true);
        }
        // The dispatcher refuses to stop before it has started: try until it takes the signal.
        // It then finishes the long poll in flight (5 s at most); past 8 s it is cut short.
        let mut stopped = false;
        for _ in 0..50 {
            match token.shutdown() {
                Ok(done) => {
                    stopped = tokio::time::timeout(Duration::from_secs(8), done)
                        .await
                        .is_ok();
                    break;
                }
                Err(_) if bot_task.is_finished() => {
                    stopped = true;
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        if !stopped {
            tracing::warn!("the update listener did not stop in time; cutting it short");
            bot_task.abort();
        }

        let _ = stop_tx.send(true);
        // A broadcast finishes the messages in flight and records them before souk exits.
        for _ in 0..150 {
            if self.deps.broadcaster.running.load(Ordering::SeqCst) == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = scheduler.shutdown().await;
        let _ = delivery.await;
        let _ = server.await;
        let _ = bot_task.await;
        self.core.store.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Completes on SIGINT or SIGTERM. The handlers are installed at the call, not when the future
/// is first polled: a SIGTERM that arrives while the server starts stops it cleanly too.
#[cfg(unix)]
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let term = signal(SignalKind::terminate()).ok();
    let interrupt = signal(SignalKind::interrupt()).ok();
    async move {
        async fn wait(signal: Option<Signal>) {
            match signal {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        tokio::select! {
            _ = wait(term) => {}
            _ = wait(interrupt) => {}
        }
    }
}

/// Completes on Ctrl-C.
#[cfg(not(unix))]
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
