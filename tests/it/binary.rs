//! The `souk` binary as an operator runs it: configuration errors and `souk migrate`.

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
