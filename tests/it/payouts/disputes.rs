//! Disputes: opened from /purchases inside the refund window, a thread relayed between the
//! buyer, the seller and the admins, the sale's credit frozen while open, and settled once by
//! an admin (a partial refund taken exactly from the held credit, or closed for the seller).

use super::holds::{ledger_sum, spawn_app_holding, window_passes};
use super::{available, payer, seller_with_sales};
use crate::support::app::{ADMIN, TestApp};
use crate::support::fake_telegram::TgUser;
use souk::services::payouts::RunOutcome;

async fn balances(app: &TestApp, seller: i64) -> souk::domain::ledger::Balances {
    souk::store::ledger::balances(&app.store, seller)
        .await
        .unwrap()
}

async fn order_of(app: &TestApp, buyer: i64) -> i64 {
    app.scalar(&format!(
        "SELECT MIN(id) FROM orders WHERE buyer_id = {buyer}"
    ))
    .await
}

#[tokio::test]
async fn a_dispute_refunded_in_part_takes_exactly_that_from_the_held_credit() {
    let mut app = spawn_app_holding("7").await;
    let (seller, admin) = (TgUser::new(13_101, "en"), TgUser::new(ADMIN, "en"));
    seller_with_sales(&app, &seller, 2).await;
    let buyer = TgUser::new(seller.id * 100, "en");
    let order = order_of(&app, buyer.id).await;

    // The buyer finds "Problem" beside the purchase and describes it.
    app.tg.send_text(&buyer, "/purchases");
    let list = app.tg.wait_for_text(buyer.id, "Your purchases").await;
    app.tg.press_button(&buyer, &list, "Problem");
    app.tg
        .wait_for_text(buyer.id, "What is wrong with order")
        .await;
    app.tg.send_text(&buyer, "The guide stops at page 3.");
    app.tg
        .wait_for_text(
            buyer.id,
            &format!("Dispute #1 about order #{order} is open"),
        )
        .await;
    let to_seller = app
        .tg
        .wait_for_text(seller.id, "Dispute #1 about your sale")
        .await;
    assert!(
        to_seller
            .text()
            .unwrap()
            .contains("The guide stops at page 3.")
    );
    let to_admin = app.tg.wait_for_text(ADMIN, "⚠ Dispute #1").await;
    let labels: Vec<String> = to_admin.buttons().into_iter().map(|b| b.0).collect();
    assert_eq!(
        labels,
        [
            "💬 Reply",
            "↩ Refund in full",
            "➗ Refund part",
            "✅ Close for the seller"
        ]
    );

    // The seller answers; the buyer and the admins read it. A stranger cannot write in it.
    app.tg.press_button(&seller, &to_seller, "Reply");
    app.tg
        .wait_for_text(seller.id, "Write your message for dispute #1")
        .await;
    app.tg
        .send_text(&seller, "Download it again, page 4 is there.");
    let relayed = app.tg.wait_for_text(buyer.id, "the seller writes").await;
    assert!(relayed.text().unwrap().contains("page 4 is there"));
    app.tg.wait_for_text(ADMIN, "the seller writes").await;
    let stranger = TgUser::new(13_199, "en");
    app.tg
        .press(&stranger, "dspr:1", relayed.message_id().unwrap());
    app.tg
        .wait_for_text(stranger.id, "This dispute is not yours")
        .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM dispute_messages").await, 2);

    // While open, the disputed sale is frozen, not held.
    let b = balances(&app, seller.id).await;
    assert_eq!((b.available.0, b.held.0, b.frozen.0), (0, 2500, 2500));

    // An admin refunds part: an amount out of range is explained, then $10.50 goes back.
    app.tg.press_button(&admin, &to_admin, "Refund part");
    app.tg.wait_for_text(ADMIN, "How much of order").await;
    app.tg.send_text(&admin, "25");
    app.tg.wait_for_text(ADMIN, "less than $25.00").await;
    app.tg.send_text(&admin, "10.50");
    app.tg.wait_for_text(ADMIN, "Dispute #1 is settled").await;
    app.tg
        .wait_for_text(buyer.id, "$10.50 is refunded to you")
        .await;
    app.tg
        .wait_for_text(seller.id, "$10.50 goes back to the buyer")
        .await;
    let b = balances(&app, seller.id).await;
    assert_eq!((b.available.0, b.held.0, b.frozen.0), (0, 5000 - 1050, 0));
    assert_eq!(ledger_sum(&app, seller.id).await, 3950);
    assert_eq!(
        app.order_status(order).await,
        "finished",
        "the buyer keeps the goods"
    );
    let same_window = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM ledger_entries r JOIN ledger_entries s ON s.reference = 'sale:{order}' \
             WHERE r.reference = 'refund:{order}' AND r.clears_at = s.clears_at AND r.amount_cents = -1050"
        ))
        .await;
    assert_eq!(same_window, 1);

    // Pressed again: settled already, nothing moves.
    app.tg.press_button(&admin, &to_admin, "Refund part");
    app.tg
        .wait_for_text(ADMIN, "Dispute #1 is settled already")
        .await;
    assert_eq!(ledger_sum(&app, seller.id).await, 3950);
    app.stop().await;
}

#[tokio::test]
async fn a_payout_skips_held_and_frozen_credits_and_pays_them_once_released() {
    let mut app = spawn_app_holding("7").await;
    let (seller, admin) = (TgUser::new(13_111, "en"), TgUser::new(ADMIN, "en"));
    seller_with_sales(&app, &seller, 4).await;
    let buyer = TgUser::new(seller.id * 100, "en");
    let order = order_of(&app, buyer.id).await;
    app.tg.press(&buyer, &format!("dspo:{order}"), 1);
    app.tg
        .wait_for_text(buyer.id, "What is wrong with order")
        .await;
    app.tg.send_text(&buyer, "Wrong file.");
    let to_admin = app.tg.wait_for_text(ADMIN, "⚠ Dispute #1").await;

    // Everything is held: nothing is paid.
    let p = payer(&app);
    assert!(matches!(
        p.run("cron").await.unwrap(),
        RunOutcome::NothingToPay
    ));

    // The window passes: the three undisputed sales are paid, the disputed one stays frozen.
    window_passes(&app, seller.id).await;
    let b = balances(&app, seller.id).await;
    assert_eq!((b.available.0, b.held.0, b.frozen.0), (7500, 0, 2500));
    let RunOutcome::Sent(_) = p.run("cron").await.unwrap() else {
        panic!("the cleared sales are paid")
    };
    assert_eq!(app.np.withdrawals()[0].amount, "75.00");
    assert_eq!(available(&app, seller.id).await, 0);

    // Closed in the seller's favour: the frozen sale is available again.
    app.tg
        .press_button(&admin, &to_admin, "Close for the seller");
    app.tg.wait_for_text(ADMIN, "Dispute #1 is settled").await;
    app.tg
        .wait_for_text(seller.id, "closed in your favour")
        .await;
    app.tg
        .wait_for_text(buyer.id, "closed by the admins without a refund")
        .await;
    assert_eq!(available(&app, seller.id).await, 2500);
    assert_eq!(ledger_sum(&app, seller.id).await, 2500);
    app.stop().await;
}

#[tokio::test]
async fn a_dispute_refunded_in_full_goes_through_refund_and_leaves_nothing_credited() {
    let mut app = spawn_app_holding("7").await;
    let (seller, admin) = (TgUser::new(13_121, "en"), TgUser::new(ADMIN, "en"));
    seller_with_sales(&app, &seller, 1).await;
    let buyer = TgUser::new(seller.id * 100, "en");
    let order = order_of(&app, buyer.id).await;
    app.tg.press(&buyer, &format!("dspo:{order}"), 1);
    app.tg
        .wait_for_text(buyer.id, "What is wrong with order")
        .await;
    app.tg.send_text(&buyer, "Nothing arrived.");
    let to_admin = app.tg.wait_for_text(ADMIN, "⚠ Dispute #1").await;

    app.tg.press_button(&admin, &to_admin, "Refund in full");
    app.tg.wait_for_text(ADMIN, "is marked refunded").await;
    app.tg.wait_for_text(ADMIN, "Dispute #1 is settled").await;
    app.tg.wait_for_text(buyer.id, "refunded in full").await;
    app.tg.wait_for_text(seller.id, "refunded in full").await;
    assert_eq!(app.order_status(order).await, "refunded");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM disputes WHERE status = 'refunded'")
            .await,
        1
    );
    let b = balances(&app, seller.id).await;
    assert_eq!((b.available.0, b.held.0, b.frozen.0), (0, 0, 0));
    assert_eq!(ledger_sum(&app, seller.id).await, 0);
    app.stop().await;
}
