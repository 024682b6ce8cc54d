//! IPN endpoint benchmark: signed IPNs per second through the real router and handler, on a
//! file-backed SQLite database (WAL), with duplicates and out-of-order statuses; p50/p99 latency.
//!
//! Run: `cargo bench --bench ipn` (env: BENCH_ORDERS, default 4000; BENCH_CONCURRENCY, default 32;
//! BENCH_TCP=1 to go through a real HTTP server on loopback with a reqwest client instead of
//! calling the router in process).

use axum::body::Body;
use axum::http::Request;
use secrecy::SecretString;
use souk::config::Config;
use souk::core::{Core, Sandbox};
use souk::http::{HttpState, router};
use souk::payments::nowpayments::signature::sign;
use souk::store::Store;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use tower::ServiceExt;

#[path = "support/seed.rs"]
mod seed;
use seed::{Shop, ipn};

const SECRET: &str = "bench-ipn-secret";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let orders_n = env_usize("BENCH_ORDERS", 4000);
    let concurrency = env_usize("BENCH_CONCURRENCY", 32);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    // As the application does at start: the first metric would otherwise pay for setting up
    // the exporter (about 200 ms) inside the measured run.
    let started = std::time::Instant::now();
    souk::metrics::init();
    eprintln!("  metrics set up in {:?}", started.elapsed());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();

    // Seed: one seller, one product, one buyer and `orders_n` waiting orders.
    let shop = Shop::open(&store).await;
    let mut bodies = Vec::new();
    for i in 0..orders_n {
        let payment_id = format!("{}", 6_000_000_000u64 + i as u64);
        let order = shop.waiting_order(&store, &payment_id).await;
        // Per order: confirming, finished, a duplicate finished, and a late confirming.
        for status in ["confirming", "finished", "finished", "confirming"] {
            let body = ipn(&payment_id, order, status);
            let sig = sign(SECRET, &body).unwrap();
            bodies.push((body, sig));
        }
    }
    // Interleave orders so that concurrent requests hit different orders, as in real traffic,
    // while each order's own IPNs keep their relative order.
    let per = 4;
    let mut schedule = Vec::with_capacity(bodies.len());
    for step in 0..per {
        for o in 0..orders_n {
            schedule.push(bodies[o * per + step].clone());
        }
    }

    // The application's own core over the same database, as the server builds it.
    let config = Config::from_vars(&HashMap::from([
        ("TELOXIDE_TOKEN".to_string(), "1:bench".to_string()),
        ("DATABASE_URL".to_string(), url.clone()),
        ("NOWPAYMENTS_IPN_SECRET".to_string(), SECRET.to_string()),
    ]))
    .unwrap();
    let sandbox = Sandbox {
        port: 0,
        step_delay: Duration::from_secs(1),
    };
    let core = Core::build(&config, sandbox).await.unwrap();
    let settler = core.settler.clone();
    let app = router(HttpState {
        core,
        ipn_secret: SecretString::from(SECRET),
        metrics_token: None,
        bot: None,
        app: None,
    });
    let tcp = std::env::var("BENCH_TCP").is_ok_and(|v| v == "1");
    let base = if tcp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = app.clone();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Some(format!("http://{addr}/ipn/nowpayments"))
    } else {
        None
    };
    let client = reqwest::Client::new();
    let total = schedule.len();
    let queue = Arc::new(Mutex::new(schedule.into_iter()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (app, queue, client, base) = (app.clone(), queue.clone(), client.clone(), base.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let Some((body, sig)) = queue.lock().await.next() else {
                    break;
                };
                let t = Instant::now();
                if let Some(url) = &base {
                    let resp = client
                        .post(url)
                        .header("content-type", "application/json")
                        .header("x-nowpayments-sig", sig)
                        .body(body)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(resp.status(), 200);
                } else {
                    let req = Request::post("/ipn/nowpayments")
                        .header("content-type", "application/json")
                        .header("x-nowpayments-sig", sig)
                        .body(Body::from(body))
                        .unwrap();
                    let resp = app.clone().oneshot(req).await.unwrap();
                    assert_eq!(resp.status(), 200);
                }
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(total);
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];

    // Check the work was real: every order finished, one delivery and one sale message each.
    let finished: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE status = 'finished'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(store.pool())
        .await
        .unwrap();
    // Every IPN is kept: each distinct body once, the same body again counted on its row.
    settler.flush_repeats().await.unwrap();
    let inbox: i64 = sqlx::query_scalar("SELECT CAST(SUM(1 + repeats) AS BIGINT) FROM ipn_events")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(finished as usize, orders_n);
    assert_eq!(inbox as usize, total);
    assert_eq!(
        outbox as usize,
        orders_n * 3,
        "detected + delivered + sold per order"
    );
    let ledger: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(ledger as usize, orders_n, "one sale credited per order");

    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(store.pool())
        .await
        .unwrap();
    println!("  sqlite journal_mode={journal} synchronous={sync} (1 = NORMAL, 2 = FULL)");
    println!(
        "IPN benchmark: {total} signed IPNs ({orders_n} orders x 4: confirming, finished, duplicate finished, late confirming)"
    );
    let via = if tcp {
        "HTTP over loopback (reqwest client in the same process)"
    } else {
        "in-process router (no TCP)"
    };
    println!("  concurrency {concurrency}, SQLite file in WAL mode, {via}");
    println!(
        "  throughput: {:.0} IPNs/s over {:.2} s",
        total as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    println!(
        "  latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*latencies.last().unwrap())
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
