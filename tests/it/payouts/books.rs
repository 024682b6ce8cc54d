//! Reconciliation: souk's books against NOWPayments' payment list and payouts. Clean books
//! report nothing; each planted difference is found: money souk never settled, an order
//! NOWPayments does not know, a price that differs, a payout that differs.

use super::{custody_env, payer, seller_with_sales, spawn_payout_app};
use crate::support::app::{ADMIN, Options, spawn_app_with};
use crate::support::fake_telegram::TgUser;
use souk::services::payouts::RunOutcome;

#[tokio::test]
async fn reconciliation_reports_nothing_on_clean_books_and_finds_each_planted_difference() {
    let mut app = spawn_payout_app().await;
    let (seller, admin) = (TgUser::new(19_001, "en"), TgUser::new(ADMIN, "en"));
    seller_with_sales(&app, &seller, 3).await;
    let RunOutcome::Sent(_) = payer(&app).run("cron").await.unwrap() else {
        panic!("the seller is paid")
    };
    // NOWPayments' own records say what its IPNs said: finished.
    for p in app.np.payments() {
        app.np.set_status(&p.payment_id, "finished", &p.pay_amount);
    }

    app.tg.send_text(&admin, "/reconcile");
    let clean = app
        .tg
        .wait_for_text(ADMIN, "Reconciliation with NOWPayments")
        .await;
    let text = clean.text().unwrap();
    assert!(
        text.contains("3 payments and 1 payouts checked, no difference."),
        "{text}"
    );
    assert!(text.contains("Every cent is accounted for."), "{text}");

    // Plant one difference of each kind.
    let payments = app.np.payments();
    let planted = app.np.plant_payment("999999", "40.00");
    app.np.forget_payment(&payments[0].payment_id);
    app.np.set_price(&payments[1].payment_id, "26.00");
    let withdrawal = app.np.withdrawals()[0].id.clone();
    app.np.set_withdrawal_amount(&withdrawal, "70.00");
    let order_of = |i: usize| payments[i].order_id.clone().unwrap();

    app.tg.send_text(&admin, "/reconcile");
    let report = app.tg.wait_for_text(ADMIN, "4 differences:").await;
    let text = report.text().unwrap();
    assert!(
        text.contains(&format!(
            "Payment {planted} (finished, $40.00) holds money souk never settled"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Order #{} was settled by souk, but NOWPayments does not list its payment {}",
            order_of(0),
            payments[0].payment_id
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Order #{}: souk's total is $25.70, NOWPayments' price for payment {} is $26.00",
            order_of(1),
            payments[1].payment_id
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("(withdrawal {withdrawal}): souk has 75.00")),
        "{text}"
    );
    assert!(text.contains("NOWPayments has 70.00"), "{text}");

    // The payout run reconciles first and tells the admins.
    souk::jobs::payout_slot(&payer(&app), &app.core.rails, chrono::Utc::now()).await;
    app.tg
        .wait_for_text(
            ADMIN,
            "Before the payout run, reconciliation with NOWPayments",
        )
        .await;
    app.stop().await;
}

#[tokio::test]
async fn with_stars_the_bots_star_ledger_is_reconciled_too() {
    let mut env = custody_env();
    env.push(("STARS_PER_USD", "75".into()));
    let mut app = spawn_app_with(Options {
        extra_env: env,
        ..Options::default()
    })
    .await;
    let (seller, admin) = (TgUser::new(19_101, "en"), TgUser::new(ADMIN, "en"));
    let product =
        crate::support::flows::publish(&app, &seller, "Star guide", "25", "BQACAgStarG").await;
    let buyers: Vec<TgUser> = (0..2).map(|i| TgUser::new(19_110 + i, "en")).collect();
    let mut orders = Vec::new();
    for (i, b) in buyers.iter().enumerate() {
        let charge = format!("charge-{i}");
        orders.push(crate::stars::paid_in_stars(&app, b, product, "BQACAgStarG", &charge).await);
    }
    app.tg.send_text(&admin, "/reconcile");
    let clean = app.tg.wait_for_text(ADMIN, "no difference.").await;
    assert!(
        clean.text().unwrap().contains("2 payments"),
        "{:?}",
        clean.text()
    );

    // A charge souk never settled, one Telegram no longer lists, one for another amount.
    app.tg
        .successful_payment_lost(&buyers[0], "souk-order-424242", 100, "charge-stray");
    app.tg.forget_star_charge("charge-0");
    app.tg.set_star_amount("charge-1", 5);
    app.tg.send_text(&admin, "/reconcile");
    let report = app.tg.wait_for_text(ADMIN, "3 differences:").await;
    let text = report.text().unwrap();
    assert!(
        text.contains(
            "Telegram Stars charge charge-stray (100 Stars) holds money souk never settled"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Order #{} was settled by souk, but Telegram does not list its Stars charge charge-0",
            orders[0]
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("Order #{} asked ", orders[1]))
            && text.contains("Telegram's charge charge-1 is for 5 Stars"),
        "{text}"
    );
    app.stop().await;
}
