//! Footprint of the real `souk` binary (release build) on SQLite: time from start to ready
//! (`/healthz` answering) on a fresh and on an existing database, resident memory when idle, and
//! resident memory after 10,000 users each opened a dialogue (/sell, waiting for a title).
//!
//! Run: `cargo bench --bench footprint` (env: BENCH_DIALOGUES, default 10000). A minimal Bot API
//! server on loopback stands in for Telegram; the figures go to docs/benchmarks.md.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "123456:bench-token";

#[derive(Default)]
struct Fake {
    pending: VecDeque<Value>,
    next_id: i64,
    /// Messages the bot sent.
    sent: usize,
}

type Shared = Arc<Mutex<Fake>>;

async fn bot_api(
    State(fake): State<Shared>,
    Path((_token, method)): Path<(String, String)>,
    body: String,
) -> axum::Json<Value> {
    let params: Value = serde_json::from_str(&body).unwrap_or(json!({}));
    let result = match method.to_ascii_lowercase().as_str() {
        "getme" => {
            json!({"id": 123456, "is_bot": true, "first_name": "Souk", "username": "souk_bench_bot",
                          "can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": true,
                          "can_connect_to_business": false, "has_main_web_app": false})
        }
        "getupdates" => {
            let offset = params["offset"].as_i64().unwrap_or(0);
            let batch: Vec<Value> = {
                let mut f = fake.lock().unwrap();
                while f
                    .pending
                    .front()
                    .is_some_and(|u| u["update_id"].as_i64().unwrap() < offset)
                {
                    f.pending.pop_front();
                }
                f.pending.iter().take(100).cloned().collect()
            };
            if batch.is_empty() {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            json!(batch)
        }
        "sendmessage" => {
            let mut f = fake.lock().unwrap();
            f.sent += 1;
            json!({"message_id": f.sent, "date": 1_795_000_000,
                   "chat": {"id": params["chat_id"], "type": "private", "first_name": "U"},
                   "text": params["text"]})
        }
        _ => json!(true),
    };
    axum::Json(json!({"ok": true, "result": result}))
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

struct Souk {
    child: Child,
    port: u16,
}

impl Drop for Souk {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Starts souk and returns it with the time until /healthz answered.
async fn start(api: &str, db: &std::path::Path, dir: &std::path::Path) -> (Souk, Duration) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_souk"))
        .env_clear()
        .env("TELOXIDE_TOKEN", TOKEN)
        .env("TELOXIDE_API_URL", api)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("PORT", port.to_string())
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("souk.err")).unwrap())
        .spawn()
        .unwrap();
    let mut child = child;
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/healthz");
    loop {
        if let Ok(r) = client.get(&url).send().await
            && r.status().is_success()
        {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            let err = std::fs::read_to_string(dir.join("souk.err")).unwrap_or_default();
            panic!("souk exited ({status}): {err}");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    (Souk { child, port }, started.elapsed())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dialogues: i64 = std::env::var("BENCH_DIALOGUES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let fake: Shared = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/bot{token}/{method}", post(bot_api))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("souk.db");
    let (souk, fresh) = start(&api, &db, dir.path()).await;
    drop(souk);
    let mut warm = Vec::new();
    for _ in 0..5 {
        let (souk, took) = start(&api, &db, dir.path()).await;
        warm.push(took);
        drop(souk);
    }
    warm.sort();
    println!(
        "start to ready: fresh database {fresh:?}; existing database median {:?} (min {:?}, max {:?})",
        warm[2], warm[0], warm[4]
    );

    let (souk, _) = start(&api, &db, dir.path()).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle, _) = rss_kib(souk.child.id());
    println!("idle resident memory: {:.1} MiB", idle as f64 / 1024.0);

    {
        let mut f = fake.lock().unwrap();
        for n in 0..dialogues {
            f.next_id += 1;
            let user = 1_000_000 + n;
            let update = json!({"update_id": f.next_id, "message": {
                "message_id": f.next_id, "date": 1_795_000_000,
                "chat": {"id": user, "type": "private", "first_name": "U"},
                "from": {"id": user, "is_bot": false, "first_name": "U", "language_code": "en"},
                "text": "/sell", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}});
            f.pending.push_back(update);
        }
    }
    let began = Instant::now();
    loop {
        let sent = fake.lock().unwrap().sent as i64;
        if sent >= dialogues {
            break;
        }
        assert!(
            began.elapsed() < Duration::from_secs(600),
            "only {sent} answers"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = began.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    // The work was real: every user has a dialogue waiting for a title.
    let store = souk::store::Store::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM dialogues WHERE state LIKE '%SellTitle%'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(open, dialogues, "dialogues stored");
    store.close().await;

    let (after, peak) = rss_kib(souk.child.id());
    println!(
        "{dialogues} users opened /sell in {took:?} ({:.0} updates/s); resident memory {:.1} MiB (peak {:.1} MiB)",
        dialogues as f64 / took.as_secs_f64(),
        after as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    let _ = souk.port;
}
