//! The `souk` binary as an operator runs it: configuration errors, `souk migrate` and
//! `souk app-link`.

use std::process::Command;

fn souk() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_souk"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    cmd
}

#[test]
fn a_missing_token_exits_non_zero_with_one_line_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = souk().current_dir(dir.path()).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TELOXIDE_TOKEN"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_bad_variable_is_named_and_no_secret_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out = souk()
        .current_dir(dir.path())
        .env("TELOXIDE_TOKEN", "123:super-secret-token")
        .env("NOWPAYMENTS_API_KEY", "super-secret-key")
        .env("PORT", "not-a-port")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PORT"), "{err}");
    assert!(!err.contains("super-secret"), "{err}");
}

#[test]
fn migrate_creates_the_sqlite_database_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let out = souk()
        .current_dir(dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("souk.db").exists());
    let again = souk()
        .current_dir(dir.path())
        .arg("migrate")
        .output()
        .unwrap();
    assert!(again.status.success(), "migrating twice is harmless");
}

#[test]
fn app_link_prints_a_signed_link_to_the_mini_app_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
    let out = souk()
        .current_dir(dir.path())
        .env("TELOXIDE_TOKEN", token)
        .env("MINIAPP_URL", "https://shop.example/app")
        .args(["app-link", "--user", "42", "--product", "7"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains(token), "{printed}");
    let link = url::Url::parse(printed.trim()).unwrap();
    assert_eq!(
        link.as_str().split('#').next(),
        Some("https://shop.example/app")
    );
    let data = url::form_urlencoded::parse(link.fragment().unwrap().as_bytes())
        .find(|(k, _)| k == "tgWebAppData")
        .map(|(_, v)| v.into_owned())
        .expect("launch data");
    let now = souk::store::now();
    let who = souk::miniapp::init_data::verify(&data, token, now, 3600).unwrap();
    assert_eq!(who.user.id, 42);
    assert_eq!(who.start_param.as_deref(), Some("p_7"));
}

/// The binary as a container runs it: starts on a token alone (sandbox mode), answers /healthz,
/// keeps the token out of its log (even at trace level, where dependencies print request URLs),
/// and stops cleanly on SIGTERM.
#[tokio::test]
async fn the_binary_runs_in_sandbox_mode_and_stops_on_sigterm() {
    let tg = crate::support::fake_telegram::FakeTelegram::start().await;
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = dir.path().join("souk.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_souk"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TELOXIDE_TOKEN", crate::support::fake_telegram::token())
        .env("TELOXIDE_API_URL", tg.api_url().to_string())
        .env("PORT", port.to_string())
        .env("RUST_LOG", "trace")
        .current_dir(dir.path())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(dir.path().join("stderr.log")).unwrap())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let mut healthy = None;
    for _ in 0..100 {
        if let Ok(resp) = reqwest::get(&url).await {
            healthy = Some((resp.status(), resp.text().await.unwrap()));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (status, body) = healthy.expect("souk answers /healthz");
    assert_eq!(status, 200);
    assert!(body.contains("\"database\":\"ok\""), "{body}");
    assert!(
        dir.path().join("souk.db").exists(),
        "SQLite file created by default"
    );
    // The container's HEALTHCHECK: `souk healthcheck` with the same PORT.
    let check = |port: u16| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_souk"));
        cmd.env_clear()
            .env("PORT", port.to_string())
            .arg("healthcheck");
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
    };
    assert!(check(port).await.unwrap().status.success());
    let term = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let mut exited = None;
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let exited = exited.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("souk did not stop within 10 s of SIGTERM")
    });
    assert!(exited.success(), "{exited:?}");

    let down = check(port).await.unwrap();
    assert!(!down.status.success(), "unhealthy once stopped");
    let output = std::fs::read_to_string(&log).unwrap()
        + &std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();
    assert!(output.contains("SANDBOX MODE"), "{output}");
    let secret = crate::support::fake_telegram::token()
        .split(':')
        .nth(1)
        .unwrap();
    assert!(
        !output.contains(secret),
        "the bot token leaked into the log"
    );
}

#[tokio::test]
async fn backup_writes_a_consistent_sqlite_snapshot_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("souk.db");
    let url = format!("sqlite://{}", db.display());
    let store = souk::store::Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    sqlx::query("INSERT INTO users (id, first_name, language, created_at, updated_at) VALUES (42, 'Ann', 'en', 1, 1)")
        .execute(store.pool())
        .await
        .unwrap();
    let snapshot = dir.path().join("snap.db");
    let run = |path: &std::path::Path| {
        souk()
            .current_dir(dir.path())
            .env("DATABASE_URL", &url)
            .arg("backup")
            .arg(path)
            .output()
            .unwrap()
    };
    // No server runs on this test's runtime: waiting for the process here blocks nothing.
    let out = run(&snapshot);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = souk::store::Store::connect(&format!("sqlite://{}", snapshot.display()))
        .await
        .unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = 42")
        .fetch_one(copy.pool())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let again = run(&snapshot);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
}

/// No Docker engine runs here: check that the image and Railway files agree with the binary.
#[test]
fn the_dockerfile_and_railway_config_agree_with_the_binary() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dockerfile = std::fs::read_to_string(format!("{root}/Dockerfile")).unwrap();
    let railway = std::fs::read_to_string(format!("{root}/railway.toml")).unwrap();
    let help = souk().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for sub in ["run", "healthcheck", "migrate", "backup", "payout", "job"] {
        assert!(help.contains(sub), "souk has no {sub}: {help}");
    }
    assert!(dockerfile.contains(r#"CMD ["/usr/local/bin/souk", "healthcheck"]"#));
    assert!(dockerfile.contains(r#"ENTRYPOINT ["/usr/local/bin/souk"]"#));
    assert!(dockerfile.contains("COPY --from=build /souk /usr/local/bin/souk"));
    assert!(dockerfile.contains("USER nonroot"), "runs as non-root");
    assert!(
        dockerfile.contains("--locked"),
        "builds what Cargo.lock says"
    );
    let rust = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("FROM rust:"))
        .unwrap();
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    let msrv = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .unwrap()
        .trim_end_matches('"');
    assert!(rust.starts_with(msrv), "the image builds with Rust {msrv}");
    assert!(railway.contains("healthcheckPath = \"/healthz\""));
    assert!(railway.contains("builder = \"DOCKERFILE\""));
    assert!(railway.contains("/usr/local/bin/souk run"));
}
