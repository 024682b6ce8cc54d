//! The core every entry point shares, built once from the config: the database (migrated), the
//! payment gateway and rails, the admins, the one `Settler` and the payout runner. The server
//! (`app.rs`), the command line (`main.rs`: jobs, payouts) and the tests build it the same way.

use crate::config::Config;
use crate::payments::PaymentGateway;
use crate::payments::nowpayments::NowPaymentsClient;
use crate::payments::rails::Rails;
use crate::payments::sandbox::Simulator;
use crate::services::payouts::Payer;
use crate::services::settlement::Settler;
use crate::store::Store;
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;

/// What every part of souk shares; cheap to clone.
#[derive(Clone)]
pub struct Core {
    pub store: Store,
    /// NOWPayments, or its simulator.
    pub gateway: Arc<dyn PaymentGateway>,
    /// Present in sandbox mode only (its "Simulate payment" button).
    pub simulator: Option<Arc<Simulator>>,
    pub rails: Rails,
    /// The one door every payment report goes through.
    pub settler: Settler,
    /// Present when payouts are configured (NOWPayments login and 2FA secret).
    pub payer: Option<Payer>,
}

/// How the sandbox simulator reaches souk's own HTTP server.
#[derive(Debug, Clone, Copy)]
pub struct Sandbox {
    /// The port souk's server listens on (its `/ipn/nowpayments` gets the simulated IPNs).
    pub port: u16,
    /// Pause between two simulated IPNs.
    pub step_delay: Duration,
}

impl Core {
    /// Opens the database and builds the rails, the settler and the payer.
    pub async fn build(config: &Config, sandbox: Sandbox) -> anyhow::Result<Core> {
        let store = open_store(&config.database_url)
            .await?
            .with_admins(&config.admin_ids)
            .with_sale_hold(config.payouts.sale_hold_days)
            .with_review_delay(config.growth.review_invite_minutes)
            .with_access_grace(config.growth.access_grace_hours)
            .with_referrals(config.growth.referral_days, config.growth.referral_share);
        let (gateway, simulator) = gateway(config, sandbox);
        let ipn_callback_url = config.ipn_callback_url.clone().or_else(|| {
            simulator
                .as_ref()
                .map(|_| format!("http://127.0.0.1:{}/ipn/nowpayments", sandbox.port))
        });
        if ipn_callback_url.is_none() && config.nowpayments.is_some() {
            tracing::warn!(
                "IPN_CALLBACK_URL is not set: NOWPayments will not notify souk; only status checks settle orders"
            );
        }
        let rails = Rails::from_config(config, gateway.clone(), ipn_callback_url);
        if config.nexpay.is_some() {
            tracing::info!("mobile money (Wave, Orange Money) is offered through NexPay");
        }
        let payer = Payer::from_config(config, store.clone())?;
        if payer.is_none() {
            tracing::warn!(
                "payouts are off: set NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD and NOWPAYMENTS_2FA_SECRET to pay sellers"
            );
        }
        Ok(Core {
            settler: Settler::spawn(store.clone()),
            store,
            gateway,
            simulator,
            rails,
            payer,
        })
    }

    /// The admins' chats (`ADMIN_IDS`): their commands, and the alerts the store queues for them.
    pub fn admins(&self) -> &[i64] {
        self.store.admins()
    }
}

/// The database at `url`, migrated, its search copies folded as this version folds them.
pub async fn open_store(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url)
        .await
        .context("DATABASE_URL: cannot open the database")?;
    store
        .migrate()
        .await
        .context("database migrations failed")?;
    crate::store::products::refold_search(&store)
        .await
        .context("refolding product search text")?;
    Ok(store)
}

/// NOWPayments when configured (and not in sandbox mode), else the simulator.
fn gateway(config: &Config, sandbox: Sandbox) -> (Arc<dyn PaymentGateway>, Option<Arc<Simulator>>) {
    match &config.nowpayments {
        Some(np) if !config.sandbox() => (
            Arc::new(NowPaymentsClient::new(
                &config.nowpayments_api_url,
                np.api_key.clone(),
            )),
            None,
        ),
        _ => {
            if config.sandbox() {
                tracing::warn!(
                    "SANDBOX MODE: payments are simulated, no real money moves and nothing is credited to sellers"
                );
            } else {
                tracing::info!(
                    "no NOWPAYMENTS_API_KEY: crypto payments are off (the other rails are real)"
                );
            }
            let own_ipn = format!("http://127.0.0.1:{}/ipn/nowpayments", sandbox.port);
            let sim = Arc::new(Simulator::new(
                own_ipn,
                config.ipn_secret.clone(),
                sandbox.step_delay,
            ));
            (
                sim.clone() as Arc<dyn PaymentGateway>,
                config.sandbox().then_some(sim),
            )
        }
    }
}
