//! Mini App benchmark: the first load's size (page, script, style), and the latency of the
//! catalogue and search APIs through the real router (initData checked on every call) over
//! 10,000 products on a file-backed SQLite database; p50/p99.
//!
//! Run: `cargo bench --bench miniapp` (env: BENCH_PRODUCTS, default 10000; BENCH_CALLS, default
//! 2000 per endpoint; BENCH_CONCURRENCY, default 8).

use axum::body::Body;
use axum::http::Request;
use secrecy::SecretString;
use souk::config::Config;
use souk::core::{Core, Sandbox};
use souk::domain::money::CommissionRate;
use souk::domain::product::fold_for_search;
use souk::http::app::{AppSettings, page};
use souk::http::{HttpState, router};
use souk::miniapp::init_data;
use souk::services::checkout::Checkout;
use souk::store::{Store, users};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const TOKEN: &str = "1:bench-token";
const WORDS: [&str; 12] = [
    "créole", "sahel", "python", "cuisine", "voyage", "guitare", "yoga", "photo", "wolof",
    "échecs", "jardin", "crypto",
];

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn seed(store: &Store, n: usize) {
    users::seen(store, 1, None, "seller", "en").await.unwrap();
    let mut tx = store.pool().begin().await.unwrap();
    for i in 0..n {
        let (a, b) = (WORDS[i % WORDS.len()], WORDS[(i / 7) % WORDS.len()]);
        let title = format!("Guide {a} {i}");
        let description = format!("Tout sur {a} et {b}, volume {i}.");
        sqlx::query(
            "INSERT INTO products (seller_id, title, description, price_cents, kind, file_id, \
             file_unique_id, search_text, status, created_at) \
             VALUES (1, $1, $2, $3, 'file', 'BQACAgBench', 'u', $4, 'active', $5)",
        )
        .bind(&title)
        .bind(&description)
        .bind(1000 + (i as i64 % 5000))
        .bind(fold_for_search(&format!("{title} {description}")))
        .bind(1_800_000_000 + i as i64)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Calls `paths` (cycled) `calls` times from `concurrency` workers; returns sorted latencies.
async fn measure(
    app: &axum::Router,
    auth: &str,
    paths: &[String],
    calls: usize,
    concurrency: usize,
) -> Vec<Duration> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (app, next, paths, auth) =
            (app.clone(), next.clone(), paths.to_vec(), auth.to_string());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= calls {
                    break;
                }
                let req = Request::get(&paths[i % paths.len()])
                    .header("authorization", &auth)
                    .body(Body::empty())
                    .unwrap();
                let t = Instant::now();
                let resp = app.clone().oneshot(req).await.unwrap();
                assert_eq!(resp.status(), 200);
                let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
                    .await
                    .unwrap();
                latencies.push(t.elapsed());
                assert!(body.starts_with(b"[") || body.starts_with(b"{"));
            }
            latencies
        }));
    }
    let mut all = Vec::with_capacity(calls);
    for w in workers {
        all.extend(w.await.unwrap());
    }
    all.sort();
    all
}

fn report(name: &str, latencies: &[Duration]) {
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{name}: {} calls, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n = env_usize("BENCH_PRODUCTS", 10_000);
    let calls = env_usize("BENCH_CALLS", 2000);
    let concurrency = env_usize("BENCH_CONCURRENCY", 8);
    println!(
        "first load: {} bytes (page, script and style; Telegram's own script not counted)",
        page::first_load_bytes()
    );
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    souk::metrics::init();
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let started = Instant::now();
    seed(&store, n).await;
    eprintln!("  {n} products seeded in {:?}", started.elapsed());
    let config = Config::from_vars(&HashMap::from([
        ("TELOXIDE_TOKEN".to_string(), TOKEN.to_string()),
        ("DATABASE_URL".to_string(), url.clone()),
    ]))
    .unwrap();
    let sandbox = Sandbox {
        port: 0,
        step_delay: Duration::from_secs(1),
    };
    let core = Core::build(&config, sandbox).await.unwrap();
    let commission = CommissionRate::parse("2.78").unwrap();
    let settings = AppSettings {
        bot_token: SecretString::from(TOKEN),
        max_age: 86_400,
        limiter: souk::bot::ratelimit::RateLimiter::new(1_000_000, Duration::from_millis(1)),
        commission,
        stars_per_usd: Some("75".parse().unwrap()),
        default_language: "en".into(),
        checkout: Checkout {
            store: core.store.clone(),
            rails: core.rails.clone(),
            commission,
        },
        public_url: None,
        files: Arc::new(souk::files::FileStore::Local(
            souk::files::local::LocalDir::new(dir.path().join("files")),
        )),
    };
    let app = router(HttpState {
        core,
        ipn_secret: SecretString::from("unused"),
        metrics_token: None,
        bot: None,
        app: Some(Arc::new(settings)),
    });
    let user = r#"{"id":42,"first_name":"Bench","language_code":"fr"}"#;
    let data = init_data::sign(
        &[
            ("auth_date", souk::store::now().to_string()),
            ("user", user.to_string()),
        ],
        TOKEN,
    );
    let auth = format!("tma {data}");
    // Warm up the pool and the page cache.
    measure(&app, &auth, &["/api/app/catalog".to_string()], 50, 2).await;

    let catalog = measure(
        &app,
        &auth,
        &["/api/app/catalog".to_string()],
        calls,
        concurrency,
    )
    .await;
    report("catalogue (/api/app/catalog)", &catalog);
    let searches: Vec<String> = WORDS
        .iter()
        .map(|w| format!("/api/app/search?q={}", urlencode(w)))
        .chain(["/api/app/search?q=guide%20jardin%2042".to_string()])
        .collect();
    let search = measure(&app, &auth, &searches, calls, concurrency).await;
    report("search (/api/app/search, 13 queries)", &search);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
