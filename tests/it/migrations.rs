//! Every migration file is embedded and applied, on both databases, and the two folders hold
//! the same migrations.

use crate::support::app::fresh_database;
use sha2::Digest;
use souk::store::{Backend, Store, migrator};

fn files(backend: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn both_databases_have_the_same_migrations_and_every_file_is_embedded() {
    let (sqlite, postgres) = (files("sqlite"), files("postgres"));
    assert_eq!(
        sqlite, postgres,
        "a migration written for one database only"
    );
    for (backend, names) in [(Backend::Sqlite, &sqlite), (Backend::Postgres, &postgres)] {
        let embedded: Vec<String> = migrator(backend)
            .iter()
            .map(|m| format!("{:04}_{}.sql", m.version, m.description.replace(' ', "_")))
            .collect();
        assert_eq!(&embedded, names, "{backend:?}");
        // Checksums are those of the files as they are: a database migrated by an earlier souk
        // (which embedded the same files by hand) is recognised, not refused as modified.
        let folder = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        for (m, name) in migrator(backend).iter().zip(names) {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(folder)
                .join(name);
            let text = std::fs::read_to_string(path).unwrap();
            assert_eq!(
                m.checksum.as_ref(),
                sha2::Sha384::digest(text.as_bytes()).as_slice(),
                "{name}"
            );
        }
    }
}

#[tokio::test]
async fn every_migration_file_is_applied() {
    let (url, _dir) = fresh_database().await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let expected: Vec<i64> = files("sqlite")
        .iter()
        .map(|f| f[..4].parse().unwrap())
        .collect();
    assert_eq!(applied, expected);
    // Applying them again changes nothing.
    store.migrate().await.unwrap();
}
