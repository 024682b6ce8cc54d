//! One slow chat never stalls the bot: while NOWPayments hangs and one buyer floods "Check
//! status", Stars pre-checkouts are answered well inside Telegram's 10 s and other chats are
//! served.

use crate::stars::stars_invoice;
use crate::support::app::{Options, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use crate::support::flows::{open_currencies, pay_with, publish};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_status_checks_during_an_outage_holds_up_no_one() {
    let mut app = spawn_app_with(Options {
        real_rate_limit: true,
        extra_env: vec![("STARS_PER_USD", "75".into())],
        ..Options::default()
    })
    .await;
    let seller = TgUser::new(12_600, "en");
    // Three chats on three different dispatcher workers.
    let flooder = TgUser::new(12_601, "en");
    let payer = TgUser::new(12_602, "en");
    let visitor = TgUser::new(12_603, "en");
    let product = publish(&app, &seller, "Flooded", "25", "BQACAgFlood").await;
    let coins = open_currencies(&app, &flooder, product).await;
    let (_, photo, _) = pay_with(&app, &flooder, &coins, "BTC").await;
    let invoice = stars_invoice(&app, &payer, product).await;

    // NOWPayments hangs on every status request.
    for _ in 0..100 {
        app.np.delay_next("/payment/", Duration::from_secs(60));
    }
    let check = photo.button_data("Check status").unwrap();
    for _ in 0..80 {
        app.tg.press(&flooder, &check, photo.message_id().unwrap());
    }

    // The Stars buyer pays meanwhile: the pre-checkout answer comes well within 10 s.
    let asked = Instant::now();
    let stars = invoice.result["invoice"]["total_amount"].as_u64().unwrap() as u32;
    app.tg
        .pre_checkout(&payer, invoice.str_param("payload").unwrap(), stars);
    let answer = app
        .tg
        .wait_for("the pre-checkout answer", |c| {
            c.method == "answerPreCheckoutQuery"
        })
        .await;
    let waited = asked.elapsed();
    eprintln!("pre-checkout answered after {waited:?} during the flood");
    assert!(
        waited < Duration::from_secs(10),
        "Telegram gives 10 s: {waited:?}"
    );
    assert_eq!(answer.params["ok"], serde_json::json!(true));

    // Another chat is served too.
    app.tg.send_text(&visitor, "/start");
    app.tg.wait_for_text(visitor.id, "Welcome").await;

    // The flood asked NOWPayments once, not eighty times.
    let asked_np = app
        .np
        .requests()
        .iter()
        .filter(|r| r.starts_with("GET /v1/payment/"))
        .count();
    assert!(asked_np <= 2, "{asked_np} status requests");
    app.stop().await;
}
