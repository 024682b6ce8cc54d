//! A real shop: categories managed by admins, three kinds of products, edits and pauses, and
//! buyers finding products by browsing, by search (accents and case folded) and inline mode.

use crate::support::app::{ADMIN, TestApp, spawn_app};
use crate::support::fake_telegram::{Call, TgUser};
use crate::support::flows::{Goods, publish_goods};

const KEYS: &str = "K-01\nK-02\nK-03\nK-04\nK-05\nK-06\nK-07\nK-08\nK-09\nK-10\nK-11\nK-12\nK-13\nK-14\nK-15\nK-16\nK-17\nK-18\nK-19\nK-20";

async fn labels_after(app: &TestApp, user: &TgUser, needle: &str) -> (Call, Vec<String>) {
    let call = app.tg.wait_for_text(user.id, needle).await;
    let labels = call.choices().into_iter().map(|(l, _)| l).collect();
    (call, labels)
}

#[tokio::test]
async fn a_seller_runs_a_shop_in_two_categories_and_buyers_find_every_product() {
    let mut app = spawn_app().await;
    let (admin, stranger) = (TgUser::new(ADMIN, "en"), TgUser::new(6003, "en"));
    let (seller, buyer) = (TgUser::new(6001, "en"), TgUser::new(6002, "en"));

    app.tg.send_text(&stranger, "/category_add Hacked");
    app.tg
        .wait_for_text(stranger.id, "for the marketplace's admins")
        .await;
    app.tg.send_text(&admin, "/category_add Ebooks");
    app.tg.wait_for_text(ADMIN, "Category “Ebooks” added").await;
    app.tg.send_text(&admin, "/category_add Logiciels");
    app.tg
        .wait_for_text(ADMIN, "Category “Logiciels” added")
        .await;
    app.tg.send_text(&admin, "/category_add Ebooks");
    app.tg.wait_for_text(ADMIN, "exists already").await;

    let guide = publish_goods(
        &app,
        &seller,
        "Guide du café",
        "Tout sur la crème et l'été",
        "15",
        Some("Ebooks"),
        Goods::File("BQACAgGuide"),
    )
    .await;
    let antivirus = publish_goods(
        &app,
        &seller,
        "Antivirus Pro",
        "Licence d'un an",
        "20",
        Some("Logiciels"),
        Goods::Items(KEYS),
    )
    .await;
    let recipes = publish_goods(
        &app,
        &seller,
        "Recettes secrètes",
        "Un lien privé",
        "10",
        Some("Ebooks"),
        Goods::Text("https://example.org/secret"),
    )
    .await;

    // /myproducts: sales counts, the stock of keys, a price change.
    app.tg.send_text(&seller, "/myproducts");
    let (list, labels) = labels_after(&app, &seller, "Your products").await;
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(labels.iter().all(|l| l.contains("0 sold")), "{labels:?}");
    app.tg.press_button(&seller, &list, "Antivirus");
    let card = app
        .tg
        .wait_for_text(seller.id, "Stock: 20 left of 20")
        .await;
    app.tg.press_button(&seller, &card, "Price");
    app.tg.wait_for_text(seller.id, "price in US dollars").await;
    app.tg.send_text(&seller, "2.5");
    app.tg.wait_for_text(seller.id, "minimum price").await;
    app.tg.send_text(&seller, "25");
    app.tg.wait_for_text(seller.id, "Saved").await;
    let p = souk::store::products::get(&app.store, antivirus)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.price.0, 2500);

    // A stranger cannot touch it, even with forged buttons.
    app.tg.press(&stranger, &format!("tgl:{antivirus}"), 1);
    app.tg.wait_for_text(stranger.id, "not yours").await;
    app.tg
        .press(&stranger, &format!("edit:{antivirus}:price"), 1);
    app.tg.wait_for_text(stranger.id, "not yours").await;

    // Pause the text product: it leaves the shop until resumed.
    app.tg.send_text(&seller, "/myproducts");
    let (list, _) = labels_after(&app, &seller, "Your products").await;
    app.tg.press_button(&seller, &list, "Recettes");
    let card = app.tg.wait_for_text(seller.id, "Kind: text").await;
    app.tg.press_button(&seller, &card, "Pause");
    // The card is edited in place: what happened on top, the new status below.
    let paused = app.tg.wait_for_text(seller.id, "Paused").await;
    app.tg.send_text(&buyer, &format!("/start p_{recipes}"));
    app.tg.wait_for_text(buyer.id, "no longer available").await;

    // Browse: categories, then a category's products, newest first.
    app.tg.send_text(&buyer, "/browse");
    let (cats, labels) = labels_after(&app, &buyer, "Categories").await;
    assert!(
        labels.contains(&"Ebooks".to_string()) && labels.contains(&"Logiciels".to_string()),
        "{labels:?}"
    );
    app.tg.press_button(&buyer, &cats, "Ebooks");
    let (_, labels) = labels_after(&app, &buyer, "Ebooks (page 1)").await;
    assert_eq!(
        labels,
        ["Guide du café · $15.42"],
        "the paused product is hidden"
    );
    let card = paused;
    assert!(card.text().unwrap().contains("Status: paused"));
    app.tg.press_button(&seller, &card, "Resume");
    app.tg.wait_for_text(seller.id, "on sale again").await;
    app.tg.press_button(&buyer, &cats, "Ebooks");
    let (_, labels) = labels_after(&app, &buyer, "Ebooks (page 1)").await;
    assert_eq!(
        labels,
        ["Recettes secrètes · $10.28", "Guide du café · $15.42"],
        "newest first"
    );

    // Search: case and accents do not matter, every word must match.
    for (query, found) in [
        ("CAFE", "Guide du café"),
        ("creme ete", "Guide du café"),
        ("antivirus licence", "Antivirus Pro"),
        ("secrètes", "Recettes secrètes"),
    ] {
        app.tg.send_text(&buyer, &format!("/search {query}"));
        let (_, labels) = labels_after(&app, &buyer, "Results for").await;
        assert!(
            labels.iter().any(|l| l.contains(found)),
            "{query}: {labels:?}"
        );
        assert_eq!(labels.len(), 1, "{query}: {labels:?}");
    }
    app.tg.send_text(&buyer, "/search café antivirus");
    app.tg.wait_for_text(buyer.id, "Nothing matches").await;
    app.tg.send_text(&buyer, "/search");
    app.tg
        .wait_for_text(buyer.id, "What are you looking for")
        .await;
    app.tg.send_text(&buyer, "guide");
    let (_, labels) = labels_after(&app, &buyer, "Results for").await;
    assert_eq!(labels, ["Guide du café · $15.42"]);

    // Inline mode: @bot words in any chat lists articles carrying the deep link.
    app.tg.inline_query(&buyer, "café");
    let answer = app
        .tg
        .wait_for("inline answer", |c| c.method == "answerInlineQuery")
        .await;
    let results = answer.param("results").unwrap().as_array().unwrap().clone();
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(results[0]["type"], "article");
    assert!(
        results[0]["title"]
            .as_str()
            .unwrap()
            .contains("Guide du café")
    );
    let text = results[0]["input_message_content"]["message_text"]
        .as_str()
        .unwrap();
    assert!(
        text.contains(&format!("https://t.me/souk_test_bot?start=p_{guide}")),
        "{text}"
    );

    // Deleting a product hides it; its buyers keep access (covered in stock tests).
    app.tg.press(&seller, &format!("del:{guide}"), 1);
    let ask = app
        .tg
        .wait_for_text(seller.id, "Delete “Guide du café”?")
        .await;
    app.tg.press_button(&seller, &ask, "Yes, delete");
    app.tg.wait_for_text(seller.id, "Deleted").await;
    app.tg.send_text(&buyer, "/search cafe");
    app.tg.wait_for_text(buyer.id, "Nothing matches").await;
    app.stop().await;
}

#[tokio::test]
async fn admins_rename_and_delete_categories() {
    let mut app = spawn_app().await;
    let admin = TgUser::new(ADMIN, "fr");
    app.tg.send_text(&admin, "/category_add Jeux");
    let added = app.tg.wait_for_text(ADMIN, "ajoutée").await;
    let id: String = added
        .text()
        .unwrap()
        .split("id ")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    app.tg
        .send_text(&admin, &format!("/category_rename {id} Jeux vidéo"));
    app.tg
        .wait_for_text(ADMIN, "renommée en « Jeux vidéo »")
        .await;
    app.tg.send_text(&admin, "/categories");
    app.tg
        .wait_for_text(ADMIN, &format!("{id} · Jeux vidéo"))
        .await;
    app.tg.send_text(&admin, "/category_rename x");
    app.tg.wait_for_text(ADMIN, "Utilisation").await;
    app.tg.send_text(&admin, &format!("/category_delete {id}"));
    app.tg.wait_for_text(ADMIN, "Catégorie supprimée").await;
    app.tg.send_text(&admin, "/categories");
    app.tg.wait_for_text(ADMIN, "Aucune catégorie").await;
    app.stop().await;
}

#[tokio::test]
async fn browsing_pages_through_many_products_and_edits_show_at_once() {
    let mut app = spawn_app().await;
    let (seller, buyer) = (TgUser::new(6101, "en"), TgUser::new(6102, "en"));
    let mut ids = Vec::new();
    for i in 1..=10 {
        let file = format!("BQACAgPage{i}");
        ids.push(
            publish_goods(
                &app,
                &seller,
                &format!("Volume {i:02}"),
                "A series",
                "10",
                None,
                Goods::File(&file),
            )
            .await,
        );
    }
    app.tg.send_text(&buyer, "/browse");
    let (page1, labels) = labels_after(&app, &buyer, "Products (page 1)").await;
    assert_eq!(labels.len(), 9, "8 products and a Next button: {labels:?}");
    assert!(
        labels[0].starts_with("Volume 10") && labels[7].starts_with("Volume 03"),
        "newest first: {labels:?}"
    );
    app.tg.press_button(&buyer, &page1, "Next");
    let (page2, labels) = labels_after(&app, &buyer, "Products (page 2)").await;
    assert_eq!(
        labels,
        ["Volume 02 · $10.28", "Volume 01 · $10.28", "◀ Previous"]
    );
    app.tg.press_button(&buyer, &page2, "Previous");
    labels_after(&app, &buyer, "Products (page 1)").await;

    // A new title is searchable at once; a replaced file is what the next buyer gets.
    let first = ids[0];
    app.tg.press(&seller, &format!("edit:{first}:title"), 1);
    app.tg.wait_for_text(seller.id, "title").await;
    app.tg.send_text(&seller, "Édition collector");
    app.tg.wait_for_text(seller.id, "Saved").await;
    app.tg.send_text(&buyer, "/search edition COLLECTOR");
    let (_, labels) = labels_after(&app, &buyer, "Results for").await;
    assert_eq!(labels, ["Édition collector · $10.28"]);
    app.tg.press(&seller, &format!("edit:{first}:file"), 1);
    app.tg.wait_for_text(seller.id, "send the file").await;
    app.tg.send_text(&seller, "not a file");
    app.tg.wait_for_text(seller.id, "as a document").await;
    app.tg
        .send_document(&seller, "BQACAgNewEdition", "new.pdf", 2048);
    app.tg.wait_for_text(seller.id, "Saved").await;
    let coins = crate::support::flows::open_currencies(&app, &buyer, first).await;
    let (_, _, p) = crate::support::flows::pay_with(&app, &buyer, &coins, "BTC").await;
    assert_eq!(app.report(&p, "finished").await, 200);
    app.tg
        .wait_for("the new file", |c| {
            c.method == "sendDocument" && c.str_param("document") == Some("BQACAgNewEdition")
        })
        .await;
    app.stop().await;
}

#[tokio::test]
async fn coeur_finds_coeur_with_its_ligature_even_in_a_shop_folded_the_old_way() {
    use souk::domain::UsdCents;
    use souk::domain::product::ProductKind;
    use souk::store::products::{self, Listing, NewProduct};
    use souk::store::{Store, users};
    let (url, _dir) = crate::support::app::fresh_database().await;
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    users::seen(&store, 1, None, "seller", "fr").await.unwrap();
    let product = NewProduct {
        seller_id: 1,
        title: "Cœur de pirate".into(),
        description: "Partitions pour piano, Straße ﬁne".into(),
        price: UsdCents(900),
        file_id: "F".into(),
        file_unique_id: "U".into(),
        file_name: None,
        file_size: None,
        kind: ProductKind::File,
        category_id: None,
        text_content: None,
        photo: None,
        access_chat: None,
        access_days: None,
    };
    let id = products::insert(&store, &product, &[]).await.unwrap();
    let found = |store: Store, query: &'static str| async move {
        products::list(&store, &Listing::search(query), 10, 0)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect::<Vec<_>>()
    };
    for query in ["coeur", "CŒUR", "strasse fine"] {
        assert_eq!(found(store.clone(), query).await, [id], "{query}");
    }

    // A shop whose copies were folded before ligatures were (œ was "o"): refolded once at start.
    sqlx::query("UPDATE products SET search_text = 'cour de pirate partitions pour piano'")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM cursors WHERE name = 'search-fold-version'")
        .execute(store.pool())
        .await
        .unwrap();
    assert!(found(store.clone(), "coeur").await.is_empty());
    assert_eq!(products::refold_search(&store).await.unwrap(), 1);
    assert_eq!(found(store.clone(), "coeur").await, [id]);
    assert_eq!(products::refold_search(&store).await.unwrap(), 0, "once");
}
