//! /broadcast to 1,000 users: at most 30 messages a second, a live progress message, users who
//! blocked the bot marked, and no duplicate after a restart in the middle; the admin's
//! formatting and photos reach users as sent.

use crate::support::app::{ADMIN, spawn_app};
use crate::support::fake_telegram::{Call, TgUser};
use std::collections::HashMap;
use std::time::Duration;

const USERS: i64 = 1000;
const FIRST: i64 = 100_000;
const TEXT: &str = "Big news: souk 2.0 is out.";

fn broadcast_sends(calls: &[Call]) -> Vec<&Call> {
    calls
        .iter()
        .filter(|c| c.method == "sendMessage" && c.text() == Some(TEXT))
        .collect()
}

#[tokio::test]
async fn a_broadcast_reaches_everyone_once_within_telegram_limits_across_a_restart() {
    let app = spawn_app().await;
    let admin = TgUser::new(ADMIN, "en");
    // A thousand users who once used the bot; five of them have blocked it since.
    for id in FIRST..FIRST + USERS {
        sqlx::query("INSERT INTO users (id, first_name, language, created_at, updated_at) VALUES ($1, 'U', 'en', 1, 1)")
            .bind(id)
            .execute(app.store.pool())
            .await
            .unwrap();
    }
    let blocked: Vec<i64> = (0..5).map(|n| FIRST + n * 97).collect();
    for id in &blocked {
        app.tg.block(*id);
    }

    app.tg.send_text(&admin, "/broadcast");
    app.tg
        .wait_for_text(ADMIN, "Send the message to broadcast")
        .await;
    app.tg.send_text(&admin, TEXT);
    let ask = app.tg.wait_for_text(ADMIN, "goes to 1001 users").await;
    let go = ask.button_data("Send to everyone").unwrap();
    app.tg.press(&admin, &go, ask.message_id().unwrap());
    app.tg.wait_for_text(ADMIN, "Broadcast #1:").await;

    // Restart in the middle.
    for _ in 0..400 {
        if broadcast_sends(&app.tg.calls()).len() >= 300 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let before = broadcast_sends(&app.tg.calls()).len();
    assert!(
        (300..900).contains(&before),
        "{before} sent before the restart"
    );
    let app = app.restart().await;
    let mut app = app;
    // A thousand messages at 30 a second take more than half a minute.
    let mut done = None;
    for _ in 0..1200 {
        done = app
            .tg
            .calls_to(ADMIN)
            .into_iter()
            .find(|c| c.text().is_some_and(|t| t.contains("Broadcast #1 is done")));
        if done.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let done = done.expect("the broadcast ends within a minute");
    assert!(
        done.text()
            .unwrap()
            .contains("996 sent, 0 failed, 5 had blocked the bot"),
        "{:?}",
        done.text()
    );

    let calls = app.tg.calls();
    let sends = broadcast_sends(&calls);
    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    for c in sends.iter().filter(|c| c.ok) {
        *per_chat.entry(c.chat_id().unwrap()).or_default() += 1;
    }
    assert_eq!(
        per_chat.len(),
        996,
        "everyone but the five who blocked the bot"
    );
    // The admin also saw it once as the preview.
    assert_eq!(per_chat.remove(&ADMIN), Some(2));
    let twice: Vec<_> = per_chat.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "nobody got it twice: {twice:?}");

    for id in &blocked {
        assert!(!per_chat.contains_key(id));
        let marked: Option<i64> = sqlx::query_scalar("SELECT blocked_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert!(
            marked.is_some(),
            "user {id} is marked as having blocked the bot"
        );
    }

    // Never more than 30 messages in any one second.
    let times: Vec<_> = sends.iter().map(|c| c.at).collect();
    let mut worst = 0;
    for (i, t) in times.iter().enumerate() {
        let in_second = times[i..]
            .iter()
            .take_while(|u| u.duration_since(*t) < Duration::from_secs(1))
            .count();
        worst = worst.max(in_second);
    }
    let worst_of = |times: &[std::time::Instant]| {
        (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|u| u.duration_since(times[i]) < Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0)
    };
    assert!(
        worst <= 30,
        "{worst} messages within one second (before the restart {}, after {})",
        worst_of(&times[..before]),
        worst_of(&times[before..])
    );

    // The progress message was edited as it went, and ends with the final count.
    let edits: Vec<&Call> = calls
        .iter()
        .filter(|c| c.method == "editMessageText" && c.chat_id() == Some(ADMIN))
        .collect();
    assert!(edits.len() >= 3, "{} progress edits", edits.len());
    assert!(
        edits
            .iter()
            .any(|c| c.text().is_some_and(|t| t.contains("remaining")))
    );
    assert!(
        edits
            .last()
            .unwrap()
            .text()
            .unwrap()
            .contains("finished: 996 sent")
    );

    // A second press on the old button sends nothing.
    app.tg.press(&admin, &go, ask.message_id().unwrap());
    app.tg
        .wait_for_text(ADMIN, "already sent or cancelled")
        .await;
    app.stop().await;
}

/// The admin's formatting reaches users as they wrote it; a photo is copied, not retyped.
#[tokio::test]
async fn a_broadcast_keeps_the_admins_formatting_and_sends_photos() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(ADMIN, "en");
    let user = TgUser::new(7_777, "en");
    app.tg.send_text(&user, "/start");
    app.tg.wait_for_text(user.id, "Welcome").await;

    app.tg.send_text(&admin, "/broadcast");
    app.tg
        .wait_for_text(ADMIN, "Send the message to broadcast")
        .await;
    let bold = serde_json::json!([{ "type": "bold", "offset": 0, "length": 4 }]);
    app.tg.send_formatted(&admin, "Sale today only", bold);
    let ask = app.tg.wait_for_text(ADMIN, "goes to").await;
    app.tg.press_button(&admin, &ask, "Send to everyone");
    let sent = app
        .tg
        .wait_for("the formatted broadcast", |c| {
            c.method == "sendMessage"
                && c.chat_id() == Some(user.id)
                && c.text() == Some("Sale today only")
        })
        .await;
    assert_eq!(sent.entity_texts("bold"), ["Sale"]);

    app.tg.send_text(&admin, "/broadcast");
    app.tg
        .wait_for_text(ADMIN, "Send the message to broadcast")
        .await;
    let (photo, _) = app.tg.send_photo(&admin);
    let ask = app.tg.wait_for_text(ADMIN, "goes to").await;
    app.tg.press_button(&admin, &ask, "Send to everyone");
    let copied = app
        .tg
        .wait_for("the photo copied", |c| {
            c.method == "copyMessage" && c.chat_id() == Some(user.id)
        })
        .await;
    assert!(copied.ok);
    assert_eq!(
        copied
            .param("message_id")
            .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok())),
        Some(i64::from(photo))
    );
    app.stop().await;
}
