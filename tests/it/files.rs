//! Product files copied to an S3-compatible server (moto, for real) or a local folder, and
//! delivered from the copy when Telegram no longer knows the `file_id`.

use crate::support::app::{Options, TestApp, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{Goods, open_currencies, pay_with, publish_goods};
use crate::support::moto::Moto;
use std::time::Duration;

const BOOK: &[u8] = b"%PDF-1.4\nThe real book, byte for byte.\n";

async fn stored_key(app: &TestApp, product: i64) -> String {
    for _ in 0..100 {
        if let Some(key) = souk::store::products::get(&app.store, product)
            .await
            .unwrap()
            .unwrap()
            .storage_key
        {
            return key;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the file was never copied");
}

async fn buy_and_settle(app: &TestApp, buyer: &TgUser, product: i64) -> i64 {
    let coins = open_currencies(app, buyer, product).await;
    let (order, _, p) = pay_with(app, buyer, &coins, "BTC").await;
    assert_eq!(app.report(&p, "finished").await, 200);
    order
}

/// souk copying files to a bucket on moto.
async fn spawn_s3_app() -> (Moto, TestApp) {
    let moto = Moto::start().await;
    moto.create_bucket("souk-files").await;
    let app = spawn_app_with(Options {
        extra_env: vec![
            ("S3_BUCKET", "souk-files".into()),
            ("S3_ENDPOINT", moto.endpoint.clone()),
            ("S3_REGION", "us-east-1".into()),
            ("S3_ACCESS_KEY_ID", "test".into()),
            ("S3_SECRET_ACCESS_KEY", "test-secret".into()),
        ],
        ..Options::default()
    })
    .await;
    (moto, app)
}

fn link_in(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a link")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_land_in_s3_and_come_back_through_presigned_links() {
    let (moto, mut app) = spawn_s3_app().await;
    let (seller, buyer, second) = (
        TgUser::new(8001, "en"),
        TgUser::new(8002, "en"),
        TgUser::new(8003, "en"),
    );
    app.tg.register_file("BQACAgS3Book", "book.pdf", BOOK);
    let product = publish_goods(
        &app,
        &seller,
        "S3 book",
        "Stored twice",
        "10",
        None,
        Goods::File("BQACAgS3Book"),
    )
    .await;
    let key = stored_key(&app, product).await;
    assert!(key.starts_with(&format!("products/{product}/")), "{key}");
    assert_eq!(
        moto.object("souk-files", &key).await,
        BOOK,
        "the bucket holds the same bytes"
    );

    // Delivered by file_id; /purchases also offers a short-lived link to the copy.
    buy_and_settle(&app, &buyer, product).await;
    app.tg
        .wait_for("delivery by file_id", |c| {
            c.method == "sendDocument"
                && c.chat_id() == Some(buyer.id)
                && c.str_param("document") == Some("BQACAgS3Book")
        })
        .await;
    app.tg.send_text(&buyer, "/purchases");
    let list = app.tg.wait_for_text(buyer.id, "Your purchases").await;
    app.tg.press(
        &buyer,
        &list.button_data("Link").expect("a link button"),
        list.message_id().unwrap(),
    );
    let msg = app
        .tg
        .wait_for_text(buyer.id, "download it from this link")
        .await;
    let url = link_in(msg.text().unwrap());
    assert!(
        url.contains("X-Amz-Signature") && url.contains("X-Amz-Expires=900"),
        "{url}"
    );
    let got = reqwest::get(&url).await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), BOOK);

    // Telegram no longer knows the file_id (a new bot token): the buyer gets the link instead.
    app.tg.fail_next(
        "sendDocument",
        1,
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    );
    buy_and_settle(&app, &second, product).await;
    let msg = app
        .tg
        .wait_for_text(second.id, "download it from this link")
        .await;
    let got = reqwest::get(link_in(msg.text().unwrap())).await.unwrap();
    assert_eq!(got.bytes().await.unwrap().as_ref(), BOOK);
    app.tg.wait_for_text(second.id, "Receipt").await;
    app.stop().await;
}

#[tokio::test]
async fn without_s3_files_are_copied_to_a_local_folder_and_re_uploaded_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = spawn_app_with(Options {
        extra_env: vec![("FILES_DIR", dir.path().display().to_string())],
        ..Options::default()
    })
    .await;
    let (seller, buyer) = (TgUser::new(8101, "en"), TgUser::new(8102, "en"));
    app.tg.register_file("BQACAgLocal", "book.pdf", BOOK);
    let product = publish_goods(
        &app,
        &seller,
        "Local book",
        "Kept on disk",
        "10",
        None,
        Goods::File("BQACAgLocal"),
    )
    .await;
    let key = stored_key(&app, product).await;
    assert_eq!(std::fs::read(dir.path().join(&key)).unwrap(), BOOK);

    app.tg.fail_next(
        "sendDocument",
        1,
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    );
    buy_and_settle(&app, &buyer, product).await;
    let upload = app
        .tg
        .wait_for("the copy uploaded", |c| {
            c.method == "sendDocument"
                && c.chat_id() == Some(buyer.id)
                && c.file("document").is_some()
        })
        .await;
    assert_eq!(upload.file("document").unwrap(), BOOK);
    app.stop().await;
}

/// The Mini App's "Download" for a purchased file: a short-lived link to the stored copy, for
/// its buyer only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mini_app_gives_a_purchased_file_through_a_short_lived_link() {
    let (_moto, mut app) = spawn_s3_app().await;
    let (seller, buyer, other) = (
        TgUser::new(8101, "en"),
        TgUser::new(8102, "en"),
        TgUser::new(8103, "en"),
    );
    app.tg.register_file("BQACAgAppBook", "book.pdf", BOOK);
    let product = publish_goods(
        &app,
        &seller,
        "App book",
        "Stored for the app",
        "10",
        None,
        Goods::File("BQACAgAppBook"),
    )
    .await;
    stored_key(&app, product).await;
    let order = buy_and_settle(&app, &buyer, product).await;
    app.tg.wait_for_text(buyer.id, "Receipt").await;
    let token = crate::support::fake_telegram::token();
    let get = |user: &TgUser, path: String| {
        let data = crate::miniapp::signed(user, 0, token);
        let req = app
            .http
            .get(app.url(&path))
            .header("authorization", format!("tma {data}"));
        async move { req.send().await.unwrap() }
    };
    let list: serde_json::Value = get(&buyer, "/api/app/purchases".into())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["downloadable"], true, "{list}");
    let link: serde_json::Value = get(&buyer, format!("/api/app/purchases/{order}/link"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(link["minutes"], 15);
    let bytes = reqwest::get(link["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], BOOK, "the stored copy, byte for byte");
    let theirs = get(&other, format!("/api/app/purchases/{order}/link")).await;
    assert_eq!(theirs.status(), reqwest::StatusCode::NOT_FOUND);
    app.stop().await;
}
