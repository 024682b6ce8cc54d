//! Removal on expiry through a kill -9 (issue 16): souk dies between banning a member and
//! unbanning them; started again, it finishes each removal once (no second ban, no notice
//! twice), never removes a member who renewed, and never touches a member souk did not let in.

use crate::support::app::{API_KEY, fresh_database};
use crate::support::fake_nowpayments::FakeNowPayments;
use crate::support::fake_telegram::{FakeTelegram, TgUser};
use crate::support::process::{Setup, Souk};
use souk::domain::UsdCents;
use souk::domain::access::DAY;
use souk::domain::product::ProductKind;
use souk::store::products::{self, NewProduct};
use std::time::{Duration, Instant};

const CHAT: i64 = -100_555;

/// Waits (up to `limit`) for `check`.
async fn until(what: &str, limit: Duration, check: impl Fn() -> bool) {
    let deadline = Instant::now() + limit;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_killed_half_way_removes_each_expired_member_once() {
    let dir = tempfile::tempdir().unwrap();
    let tg = FakeTelegram::start().await;
    let np = FakeNowPayments::start(API_KEY).await;
    let (database_url, _db_dir) = fresh_database().await;
    let setup = Setup::sqlite(&tg, &np, dir.path()).on_database(database_url);
    let mut souk = Souk::start(&setup, "first").await;
    let store = souk::store::Store::connect(&setup.database_url)
        .await
        .unwrap();

    // A weekly access to a channel: five members whose week ended two days ago, one who
    // renewed since, and one the seller let in themselves.
    let seller = TgUser::new(22_001, "en");
    tg.add_chat(CHAT, "channel", "Signals", &seller);
    tg.set_bot_rights(CHAT, Some((true, true)));
    let product = NewProduct {
        seller_id: seller.id,
        title: "Signals weekly".into(),
        description: "Daily signals.".into(),
        price: UsdCents(500),
        kind: ProductKind::Access,
        category_id: None,
        file_id: String::new(),
        file_unique_id: String::new(),
        file_name: None,
        file_size: None,
        text_content: None,
        photo: None,
        access_chat: Some((CHAT, "Signals".into())),
        access_days: Some(7),
    };
    souk::store::users::seen(&store, seller.id, None, "Seller", "en")
        .await
        .unwrap();
    let product = products::insert(&store, &product, &[]).await.unwrap();
    let now = souk::store::now();
    let expired: Vec<i64> = (0..5).map(|i| 22_100 + i).collect();
    let (renewed, own_guest) = (22_200, 22_300);
    for user in expired.iter().chain([&renewed]) {
        tg.add_member(CHAT, *user);
        sqlx::query(
            "INSERT INTO memberships (product_id, buyer_id, chat_id, ends_at, joined_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(product)
        .bind(user)
        .bind(CHAT)
        .bind(now - 2 * DAY)
        .bind(now - 9 * DAY)
        .execute(store.pool())
        .await
        .unwrap();
    }
    tg.add_member(CHAT, own_guest);

    // The job queues the six removals; one member renews before theirs is done.
    let queued = souk::jobs::access::run(&store, now).await.unwrap();
    assert_eq!(queued.removals, 6);
    sqlx::query("UPDATE memberships SET ends_at = $1 WHERE buyer_id = $2")
        .bind(now + 5 * DAY)
        .bind(renewed)
        .execute(store.pool())
        .await
        .unwrap();

    // Souk dies between the first ban and its unban.
    tg.delay_next("unbanChatMember", Duration::from_secs(30));
    let banned = || {
        tg.calls()
            .iter()
            .filter(|c| c.method == "banChatMember")
            .count()
    };
    until("a first ban", Duration::from_secs(30), || banned() >= 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    souk.kill();
    let kicked = expired
        .iter()
        .filter(|u| tg.member_status(CHAT, **u).as_deref() == Some("kicked"))
        .count();
    assert!(kicked >= 1, "killed between a ban and its unban");

    // Started again, it finishes once the dead process's claims ran out.
    let _second = Souk::start(&setup, "second").await;
    let all_left = || {
        expired
            .iter()
            .all(|u| tg.member_status(CHAT, *u).as_deref() == Some("left"))
    };
    until(
        "every expired member out",
        Duration::from_secs(120),
        all_left,
    )
    .await;
    let told = |user: i64| {
        tg.calls()
            .iter()
            .filter(|c| {
                c.chat_id() == Some(user) && c.text().is_some_and(|t| t.contains("has ended"))
            })
            .count()
    };
    // Each is told at most once: a notice is recorded sent before it goes, so one in flight
    // when souk died is lost rather than repeated.
    until(
        "the notices after the restart",
        Duration::from_secs(30),
        || expired.iter().filter(|u| told(**u) == 1).count() >= 1,
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for user in &expired {
        let bans = tg
            .calls()
            .iter()
            .filter(|c| c.method == "banChatMember" && c.params["user_id"] == *user)
            .count();
        assert_eq!(bans, 1, "user {user} banned once");
        assert!(told(*user) <= 1, "user {user} told at most once");
    }
    assert_eq!(
        tg.member_status(CHAT, renewed).as_deref(),
        Some("member"),
        "renewed: stays"
    );
    assert_eq!(told(renewed), 0);
    assert_eq!(
        tg.member_status(CHAT, own_guest).as_deref(),
        Some("member"),
        "let in by the seller: never touched"
    );
}
