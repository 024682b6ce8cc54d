//! IPN ingestion as NOWPayments drives it (issue 18): the release `souk` binary on a fresh
//! database, N waiting orders, and signed IPNs pushed over loopback HTTP by an outside load
//! generator (`wrk` with a Lua script) for a fixed time. Two mixes: `friendly` (each order's
//! confirming, confirmed, sending and finished in turn: four distinct IPNs that each move it on,
//! enough orders that wrk does not come back to the start) and `storm` (1,000 orders'
//! confirming and the same finished three times, shuffled and cycled: nearly all duplicates, as
//! in NOWPayments' retry storms). Telegram holds every send back during the run. Afterwards, each
//! order must be finished and its goods queued exactly once.
//!
//! Run: `cargo bench --bench ipn_wrk` (needs `wrk`: `apt-get install wrk`). Knobs: BENCH_MIX
//! (`storm`, default, or `friendly`), BENCH_ORDERS (default 1000 for the storm, 80000 friendly),
//! BENCH_SECONDS (15), BENCH_CONNECTIONS (32), BENCH_SOUK_LOG (a path to keep souk's log at), BENCH_PG (a PostgreSQL admin URL such as
//! `postgres://postgres@127.0.0.1:5432/test`: a fresh database is made on it instead of SQLite),
//! BENCH_RUST_LOG (souk's log filter, default `warn,souk=info` as deployed), BENCH_SOUK_BIN (a
//! `souk` binary to run instead of this checkout's, to compare two builds by turns).

use axum::Router;
use axum::extract::Path;
use axum::response::IntoResponse;
use souk::payments::nowpayments::signature::sign;
use souk::store::Store;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

#[path = "support/seed.rs"]
mod seed;
use seed::{Shop, ipn};

const SECRET: &str = "bench-ipn-secret";
const API_KEY: &str = "bench-api-key";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A Bot API that answers what souk asks at start, long-polls with nothing, and holds every
/// send back (souk's outbox waits) for the whole run.
async fn telegram(Path((_, method)): Path<(String, String)>) -> impl IntoResponse {
    // teloxide names methods in PascalCase ("GetMe"); Telegram takes any case.
    let method = method.to_ascii_lowercase();
    let result = match method.as_str() {
        "getme" => serde_json::json!({
            "id": 1, "is_bot": true, "first_name": "souk", "username": "souk_bench_bot",
            "can_join_groups": false, "can_read_all_group_messages": false,
            "supports_inline_queries": false, "can_connect_to_business": false,
            "has_main_web_app": false,
        }),
        "getupdates" => {
            tokio::time::sleep(Duration::from_secs(1)).await;
            serde_json::json!([])
        }
        "getwebhookinfo" => {
            serde_json::json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 })
        }
        m if m.starts_with("send") || m.starts_with("edit") => {
            tokio::time::sleep(Duration::from_secs(600)).await;
            serde_json::json!(true)
        }
        _ => serde_json::json!(true),
    };
    axum::Json(serde_json::json!({ "ok": true, "result": result }))
}

async fn fake_telegram() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new().route("/{bot}/{method}", axum::routing::any(telegram));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

/// A fresh database: a SQLite file in `dir`, or a new database on BENCH_PG's server.
async fn database(dir: &std::path::Path) -> String {
    match std::env::var("BENCH_PG") {
        Ok(admin) => {
            let name = format!("souk_bench_{}", std::process::id());
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .unwrap();
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
        Err(_) => format!("sqlite://{}", dir.join("bench.db").display()),
    }
}

/// Seeds `n` waiting orders; returns each order's IPNs (body, signature) for `statuses`, order
/// by order. The same status twice is the same body twice, as NOWPayments' retries are.
async fn seed(store: &Store, n: usize, statuses: &[&str]) -> Vec<Vec<(String, String)>> {
    let shop = Shop::open(store).await;
    let mut all = Vec::with_capacity(n);
    for i in 0..n {
        let payment_id = format!("{}", 7_000_000_000u64 + i as u64);
        let order = shop.waiting_order(store, &payment_id).await;
        all.push(
            statuses
                .iter()
                .map(|status| {
                    let body = ipn(&payment_id, order, status);
                    let sig = sign(SECRET, &body).unwrap();
                    (body, sig)
                })
                .collect(),
        );
    }
    all
}

/// The wrk script that cycles through the requests written in `data` (one per line: the
/// signature, a tab, the body), read at start (a Lua table of constants holds at most 65,536).
fn lua(data: &std::path::Path) -> String {
    format!(
        r#"local reqs = {{}}
for line in io.lines("{}") do
  local tab = line:find("\t", 1, true)
  reqs[#reqs + 1] = {{ line:sub(tab + 1), line:sub(1, tab - 1) }}
end
local i = 0
request = function()
  i = i % #reqs + 1
  local r = reqs[i]
  return wrk.format("POST", "/ipn/nowpayments",
    {{ ["Content-Type"] = "application/json", ["x-nowpayments-sig"] = r[2] }}, r[1])
end
"#,
        data.display()
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mix = std::env::var("BENCH_MIX").unwrap_or_else(|_| "storm".into());
    let storm = mix != "friendly";
    // Friendly: enough orders that wrk does not come back to the start (4 IPNs an order; at
    // 21,000 IPNs a second for 15 s it would).
    let n: usize = env_or("BENCH_ORDERS", if storm { 1000 } else { 80_000 });
    let seconds: u64 = env_or("BENCH_SECONDS", 15);
    let connections: u64 = env_or("BENCH_CONNECTIONS", 32);
    assert!(
        Command::new("wrk").arg("--version").output().is_ok(),
        "wrk is missing: apt-get install wrk"
    );
    let dir = tempfile::tempdir().unwrap();
    let url = database(dir.path()).await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    // Friendly: four distinct IPNs per order, each moving it on, in turn, orders interleaved.
    // Storm: confirming and the same finished three times, shuffled, cycled.
    let statuses: &[&str] = if storm {
        &["confirming", "finished", "finished", "finished"]
    } else {
        &["confirming", "confirmed", "sending", "finished"]
    };
    let per_order = seed(&store, n, statuses).await;
    // Payments move on in waves of 1,000 orders: each step of a wave's orders in turn.
    let mut requests: Vec<(String, String)> = Vec::with_capacity(n * 4);
    for wave in per_order.chunks(1000) {
        for step in 0..statuses.len() {
            for order in wave {
                requests.push(order[step].clone());
            }
        }
    }
    if storm {
        // A fixed shuffle (xorshift), the same every run.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in (1..requests.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            requests.swap(i, (x % (i as u64 + 1)) as usize);
        }
    }
    let data = dir.path().join("ipn.tsv");
    let mut lines = std::fs::File::create(&data).unwrap();
    for (body, sig) in &requests {
        writeln!(lines, "{sig}\t{body}").unwrap();
    }
    let script = dir.path().join("ipn.lua");
    std::fs::write(&script, lua(&data)).unwrap();

    let tg = fake_telegram().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Another build (say an older commit's) can be run in its place, to compare by turns.
    let binary = std::env::var("BENCH_SOUK_BIN").unwrap_or(env!("CARGO_BIN_EXE_souk").into());
    let log_filter = std::env::var("BENCH_RUST_LOG").unwrap_or("warn,souk=info".into());
    let mut souk = Command::new(binary)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", log_filter)
        .env("TELOXIDE_TOKEN", "1:bench")
        .env("TELOXIDE_API_URL", format!("http://127.0.0.1:{tg}"))
        .env("DATABASE_URL", &url)
        .env("PORT", port.to_string())
        .env("NOWPAYMENTS_API_URL", format!("http://127.0.0.1:{tg}"))
        .env("NOWPAYMENTS_API_KEY", API_KEY)
        .env("NOWPAYMENTS_IPN_SECRET", SECRET)
        .env("IPN_CALLBACK_URL", "https://souk.example/ipn/nowpayments")
        .env("FILES_DIR", dir.path().join("files"))
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("souk.log")).unwrap())
        .spawn()
        .expect("start souk");
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if http
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let out = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            "-s",
        ])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}"))
        .output()
        .expect("run wrk");
    let report = String::from_utf8_lossy(&out.stdout);
    if !report.contains("Requests/sec") {
        eprintln!(
            "wrk said: {report}\n{}\nsouk's log: {}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(dir.path().join("souk.log")).unwrap_or_default()
        );
    }
    // Let the last batch settle, then stop souk.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = souk.kill();
    let _ = souk.wait();
    if let Ok(keep) = std::env::var("BENCH_SOUK_LOG") {
        std::fs::copy(dir.path().join("souk.log"), keep).unwrap();
    }

    let finished: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE status = 'finished'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let delivered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'order:%:delivered'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let db = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "IPN over HTTP (wrk -t1 -c{connections} -d{seconds}s), mix {mix}: {n} orders, {} IPNs ({} distinct) cycled, {db}",
        requests.len(),
        requests
            .iter()
            .map(|r| &r.0)
            .collect::<std::collections::HashSet<_>>()
            .len()
    );
    for line in report.lines() {
        let l = line.trim();
        if l.starts_with("Requests/sec")
            || l.starts_with("50%")
            || l.starts_with("99%")
            || l.starts_with("Latency")
            || l.contains("requests in")
            || l.starts_with("Non-2xx")
        {
            println!("  {l}");
        }
    }
    let sent: usize = report
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if !storm && sent > requests.len() {
        println!(
            "  wrk came back to the start: {} requests were repeats; raise BENCH_ORDERS",
            sent - requests.len()
        );
    }
    let count = |sql: &'static str| {
        let pool = store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let sales = count("SELECT COUNT(*) FROM ledger_entries WHERE kind = 'sale'").await;
    let applied = count(
        "SELECT COUNT(*) FROM ipn_events WHERE outcome = 'applied' AND payment_status = 'finished'",
    )
    .await;
    println!(
        "  orders finished: {finished} of {n}; goods queued: {delivered}; sales credited: {sales}; finished IPNs applied: {applied}"
    );
    // Exactly once: an order finished once, its goods queued once, its seller credited once.
    assert_eq!(
        delivered, finished,
        "each finished order's goods queued once"
    );
    assert_eq!(sales, finished, "each sale credited once");
    assert_eq!(applied, finished, "each order's finished applied once");
    if seconds >= 5 && !storm {
        assert!(finished > 0, "the run settled orders");
    }
}
