# souk : français. Les arguments sont du texte brut ; les montants arrivent déjà formatés.

## Menu et général
welcome = Bienvenue sur souk, la place de marché de produits numériques : fichiers, clés de licence et textes, payés { $ways }.
    Parcourez les produits, retrouvez vos achats ou vendez les vôtres.
sandbox-notice = 🧪 Mode bac à sable : les paiements sont simulés, aucun argent réel ne circule.
menu-browse = 🛍 Parcourir les produits
menu-purchases = 📦 Mes achats
menu-sell = ➕ Vendre
idle-hint = Je n'ai pas compris. Utilisez /browse pour acheter, /sell pour vendre, ou /help.
unknown-command = Commande inconnue. Envoyez /help pour voir ce que je sais faire.
too-fast = Vous allez trop vite. Patientez quelques secondes.
text-too-long = Ce message est trop long.
stale-button = Ce bouton n'est plus valable.
error-generic = Un problème est survenu de notre côté. Réessayez dans un instant.
cancelled = Annulé.
nothing-to-cancel = Il n'y a rien à annuler.
language-choose = Choisissez votre langue :
language-set = Langue réglée sur le français.

## Vendre
sell-ask-title = Quel est le titre du produit ? ({ $max } caractères au plus, /cancel pour arrêter)
sell-title-invalid = Le titre doit contenir entre 1 et { $max } caractères de texte. Renvoyez le titre.
sell-ask-description = Maintenant, une description du produit ({ $max } caractères au plus).
sell-description-invalid = La description doit contenir entre 1 et { $max } caractères de texte. Renvoyez-la.
sell-ask-price = Le prix en dollars US, par exemple 25 ou 25,50 (au moins { USD($min) }).
price-not-a-number = Ce n'est pas un prix. Envoyez un nombre comme 25 ou 25,50.
price-too-many-decimals = Un prix a au plus 2 décimales (les centimes). Renvoyez-le, par exemple 25,50.
price-below-minimum = Le prix minimum est de { USD($min) }. Envoyez un prix plus élevé.
price-too-large = Le prix maximum est de { USD($max) }. Envoyez un prix plus bas.
sell-ask-file = Envoyez maintenant le fichier que recevront les acheteurs, en tant que document (📎 → Fichier).
sell-ask-category = Dans quelle catégorie ?
sell-press-a-button = Choisissez avec les boutons ci-dessus.
sell-ask-kind = Que reçoivent les acheteurs ?
kind-file = 📄 Un fichier (le même pour tous)
kind-items = 🔑 Des articles uniques (clés de licence, codes…)
kind-text = 📝 Un texte (un lien, des instructions)
sell-ask-items = Envoyez les articles, un par ligne (ou un fichier .txt avec un article par ligne). Chaque acheteur en reçoit un, jamais vendu deux fois.
sell-ask-text = Envoyez le texte que recevra chaque acheteur (un lien, des instructions…).
sell-text-not-text = Envoyez le texte sous forme de message.
items-not-text = Envoyez les articles en texte, un par ligne, ou en fichier .txt.
items-not-utf8 = Ce fichier n'est pas du texte brut (UTF-8). Envoyez un fichier .txt avec un article par ligne.
items-file-unreadable = Ce fichier n'a pas pu être lu. Envoyez un fichier .txt de { $max } Ko au plus, ou les articles en texte.
items-empty = Ce message ne contient aucun article : envoyez un article par ligne.
items-too-many = Trop d'articles d'un coup (10 000 au plus). Envoyez-les en plusieurs fois.
items-too-long = Une des lignes est trop longue (1 000 caractères au plus par article).
delivers-file = le fichier { $file }
delivers-items = { $count ->
    [one] { $count } article unique
   *[other] { $count } articles uniques
}
delivers-text = ce texte : { $text }
sell-file-not-document = Envoyez le fichier en tant que document (📎 → Fichier), pas comme photo, texte ou média.
sell-ask-cover = Envoyez une photo de couverture pour la fiche du produit (en tant que photo), ou touchez Passer.
button-skip = Passer ▶
sell-cover-not-photo = Envoyez la couverture en tant que photo (pas en fichier), ou touchez Passer.
sell-summary-cover = oui
sell-summary-no-cover = aucune
sell-summary = Prêt à publier :
    Titre : { $title }
    Description : { $description }
    Prix : { USD($price) } : les acheteurs paient { USD($total) } avec les frais de plateforme, et vous gagnez { USD($price) } par vente
    Catégorie : { $category }
    Contenu livré : { $delivers }
    Photo de couverture : { $cover }
button-publish = ✅ Publier
button-cancel = ✖ Annuler
sell-confirm-pending = Appuyez sur Publier ou Annuler sous le récapitulatif ci-dessus.
sell-published = « { $title } » est en vente. Partagez ce lien avec les acheteurs :
    { $link }
sell-discarded = Le produit n'a pas été publié.
sell-nothing-to-publish = Aucun produit n'attend d'être publié. Envoyez /sell pour en créer un.

## Acheter
product-card = <b>{ $title }</b>

    { $description }

    📦 { $receives }
    👤 Vendu par { $seller } · { $sales ->
        [one] { $sales } vente
       *[other] { $sales } ventes
    }
    💰 Prix : <b>{ USD($total) }</b> avec les frais de plateforme{ $stars }
buy-button = 🛒 Acheter pour { USD($price) }
product-unavailable = Ce produit n'est plus disponible.
browse-empty = Aucun produit en vente pour l'instant.
browse-header = Produits (page { $page }) :
browse-item = { $title } · { USD($price) }
button-prev = ◀ Précédent
button-next = Suivant ▶
choose-currency = { $title } : { USD($total) }. Choisissez comment payer :
no-currencies = Aucun moyen de paiement n'est disponible pour le moment. Réessayez plus tard.
currency-not-offered = Cette crypto-monnaie n'est pas disponible pour le moment. Choisissez-en une autre.
provider-down = Le prestataire de paiement ne répond pas pour le moment. Rien n'a été débité ; réessayez dans quelques minutes.
provider-refused = Le prestataire de paiement a refusé de créer ce paiement. Choisissez une autre monnaie ou réessayez plus tard.
below-minimum = { USD($minimum) } est le minimum accepté par le prestataire en { $coin }. Choisissez une autre monnaie.
payment-caption = Commande n°{ $order } : <b>{ $title }</b>
    Prix { USD($price) } + frais de plateforme { USD($commission) } ({ PERCENT($percent) }) = { USD($total) }

    Envoyez exactement <code>{ $amount }</code> { $coin }
    à : <code>{ $address }</code>
    (touchez le montant ou l'adresse pour le copier)

    { $expires }
    { $kind ->
        [file] Votre fichier est envoyé ici dès que le paiement est confirmé.
        [items] Votre clé est envoyée ici dès que le paiement est confirmé.
        [access] Votre lien pour rejoindre est envoyé ici dès que le paiement est confirmé.
       *[text] Votre texte est envoyé ici dès que le paiement est confirmé.
    }
expiry-unknown = Expire dans 7 jours environ si rien n'est envoyé.
expires-in = Expire dans { $minutes } min ({ $time } UTC).
expires-in-hours = Expire dans { $hours } h ({ $time } UTC).
expires-on = Expire le { $date } à { $time } UTC.
button-copy-address = 📋 Copier l'adresse
button-copy-amount = 📋 Copier le montant
sandbox-payment-notice = 🧪 Bac à sable : appuyez sur « Simuler le paiement » pour faire comme si vous aviez payé.
button-check-status = 🔄 Vérifier le statut
button-cancel-order = ✖ Annuler la commande
button-simulate = 🧪 Simuler le paiement
simulate-started = Simulation du paiement : confirmation, puis terminé…
simulate-unavailable = La simulation de paiement n'existe qu'en mode bac à sable.
order-not-payable = Cette commande ne peut plus être payée.
order-cancelled = Commande annulée. Si vous avez déjà envoyé de l'argent, il sera tout de même pris en compte.
order-not-cancellable = Cette commande ne peut plus être annulée.
not-your-order = Cette commande n'est pas la vôtre ou n'existe plus.

## Statut de commande (bouton vérifier)
status-created = Le paiement n'a pas encore été créé.
status-waiting = En attente de votre paiement.
status-confirming = Paiement détecté, en attente de confirmations.
status-confirmed = Paiement confirmé, finalisation en cours.
status-sending = Paiement confirmé, finalisation en cours.
status-partially_paid = Seule une partie du montant est arrivée.
status-finished = Payé. Votre fichier a été envoyé.
status-failed = Le paiement a échoué.
status-expired = Le paiement a expiré.
status-refunded = Le paiement a été remboursé.
status-cancelled = La commande a été annulée.
status-paid_sold_out = Payé, mais le produit a été épuisé avant l'arrivée de votre paiement. Un administrateur vous remboursera, sauf si le vendeur réapprovisionne avant (vous le recevrez alors aussitôt).
status-unavailable = Le prestataire de paiement ne répond pas ; réessayez sous peu.

## Messages liés aux paiements
payment-detected = 💸 Paiement détecté pour la commande n°{ $order } ({ $title }). En attente des confirmations du réseau ; votre { $kind ->
        [file] fichier suit
        [items] clé suit
        [access] lien pour rejoindre suit
       *[text] texte suit
    } dès qu'il est réglé.
delivery-receipt = ✅ Reçu, commande n°{ $order }
    { $title }
    Payé : { USD($total) } ({ $amount } { $coin })
    Merci ! Retrouvez-le à tout moment avec /purchases.
seller-sale = 🎉 Vente ! « { $title } » (commande n°{ $order }) : { USD($amount) } crédités sur votre compte. { $clears ->
        [now] Solde disponible : { USD($balance) }.
       *[other] Ils sont retenus jusqu'au { $clears } (le délai de remboursement), puis versés avec les versements hebdomadaires.
    }
seller-sale-no-wallet = 🎉 Vente ! « { $title } » (commande n°{ $order }) : { USD($amount) } crédités sur votre compte. { $clears ->
        [now] Solde disponible : { USD($balance) }.
       *[other] Ils sont retenus jusqu'au { $clears } (le délai de remboursement), puis versés avec les versements hebdomadaires.
    }
    💼 Indiquez votre portefeuille de versement avec /wallet pour être payé.
seller-sale-sandbox = 🎉 Vente ! « { $title } » (commande n°{ $order }), en mode bac à sable : le paiement était simulé, rien n'est crédité sur votre compte.
seller-refund = ↩ La commande n°{ $order } (« { $title } ») a été remboursée : { USD($amount) } repris. { $clears ->
        [now] Solde disponible : { USD($balance) }.
       *[other] Ils sont pris sur l'argent retenu pour le délai de remboursement, pas sur votre solde disponible.
    }
payment-partially-paid = ⚠ Commande n°{ $order } ({ $title }) : { $paid } { $coin } reçus, il manque { $missing } { $coin }.
    Envoyez le montant manquant à { $address } pour finaliser la commande.
payment-failed = ❌ Le paiement de la commande n°{ $order } ({ $title }) a échoué. Rien n'a été livré. Vous pouvez réessayer.
payment-expired = ⌛ Le paiement de la commande n°{ $order } ({ $title }) a expiré. Vous pouvez refaire un achat à tout moment.
payment-partial-expired = ⌛ La commande n°{ $order } ({ $title }) a expiré avant l'arrivée du montant complet. Rien n'a été livré ; un administrateur vous remboursera les { $paid } { $coin } envoyés.
admin-partial-then-paid = ⚠ La commande n°{ $order } ({ $title }), expirée partiellement payée, est finalement payée : elle se règle et se livre normalement. Ne remboursez pas ce qui était arrivé ; si c'est déjà fait, réglez la différence avec l'acheteur.
admin-partial-expired = 💸 La commande n°{ $order } ({ $title }) a expiré partiellement payée : { $paid } { $coin } reçus et rien n'a été livré. Remboursez l'acheteur depuis le tableau de bord NOWPayments ; son article est remis en vente.
payment-closed-paid = ✅ Commande n°{ $order } : { $title }
    Paiement reçu. N'envoyez plus rien à cette adresse.
payment-closed-expired = ⌛ Commande n°{ $order } : { $title }
    Expirée : cette adresse n'accepte plus de paiement. Vous pouvez refaire un achat à tout moment.
payment-closed-failed = ❌ Commande n°{ $order } : { $title }
    Le paiement a échoué : cette adresse n'accepte plus de paiement.
payment-closed-refunded = ↩ Commande n°{ $order } : { $title }
    Remboursée : cette adresse n'accepte plus de paiement.
payment-closed-cancelled = ✖ Commande annulée : n°{ $order } { $title }
    N'envoyez rien à cette adresse. Si vous avez déjà envoyé de l'argent, il sera tout de même pris en compte.
payment-refunded = ↩ Le paiement de la commande n°{ $order } ({ $title }) a été remboursé.
admin-payment-mismatch = 🚨 L'IPN de la commande n°{ $order } (paiement { $payment }) ne lui correspond pas : { $reason }. Rien n'a été livré.

## Achats
purchases-empty = Vous n'avez encore rien acheté. Utilisez /browse pour trouver quelque chose.
purchases-header = Vos achats, page { $page } (touchez-en un pour le recevoir à nouveau) :
purchase-resend = n°{ $order } { $title }
redownload-caption = { $title }

## Command menu (shown by Telegram next to the input field)
command-start = Menu principal
command-browse = Parcourir les produits
command-purchases = Mes achats
command-sell = Vendre un fichier, des clés de licence ou un texte
command-language = Changer de langue
command-help = Aide
command-cancel = Arrêter l'opération en cours

## Portefeuille et gains
wallet-none = Vous n'avez pas encore de portefeuille de versement. Envoyez votre adresse { $coin } : vos gains y sont versés chaque semaine. (/cancel pour arrêter)
wallet-current = Votre portefeuille de versement ({ $coin }) : { $address }
    Envoyez une nouvelle adresse pour le changer, ou /cancel pour le garder.
wallet-not-an-address = ce n'est pas une adresse
wallet-invalid = Cette adresse a été refusée : { $reason }. Vérifiez-la et renvoyez-la.
wallet-confirm-change = Remplacer votre portefeuille de versement ?
    Actuel : { $old }
    Nouveau : { $new }
wallet-confirm-pending = Appuyez sur Remplacer ou Garder sous la question ci-dessus.
button-wallet-replace = ✅ Remplacer
button-wallet-keep = ✖ Garder l'actuel
wallet-saved = ✅ Portefeuille de versement enregistré ({ $coin }) : { $address }
wallet-kept = Votre portefeuille de versement n'a pas changé.
earnings-summary = 💰 Vos gains
    En attente (payés, pas encore confirmés) : { USD($pending) }
    Disponible : { USD($available) }{ $held ->
        [none] {""}
       *[other] {""}
        Retenu pour le délai de remboursement : { USD($held) }, jusqu'au { $until }
    }{ $frozen ->
        [none] {""}
       *[other] {""}
        Gelé par un litige : { USD($frozen) }
    }
    Versé : { USD($paid) }
earnings-no-entries = Aucune écriture pour l'instant : votre première vente apparaîtra ici.
earnings-recent = Dernières écritures :
earnings-entry = { $date } · { $kind } · { USD($amount) } · commande n°{ $order }
earnings-entry-no-order = { $date } · { $kind } · { USD($amount) }
ledger-sale = vente
ledger-payout = versement
ledger-payout_reversal = versement échoué restitué
ledger-refund = remboursement
command-wallet = Votre portefeuille de versement
command-earnings = Vos gains

## Catalogue
menu-search = 🔎 Rechercher
browse-categories = Catégories :
browse-all = Tous les produits
browse-category = { $name } (page { $page }) :
search-ask = Que cherchez-vous ? Envoyez quelques mots.
search-results = Résultats pour « { $query } » (page { $page }) :
search-none = Aucun résultat. Essayez d'autres mots, ou /browse.
inline-message = { $title } : { USD($price) }
    { $link }
inline-open = Ouvrir dans la boutique
command-search = Rechercher des produits
command-myproducts = Vos produits

## Admin : catégories
admin-only = Désolé, cette fonction est réservée aux admins de la place de marché.
categories-none = Aucune catégorie pour l'instant. Ajoutez-en une avec /category_add Nom.
categories-list = Catégories (id · nom) :
category-usage-add = Utilisation : /category_add Nom ({ $max } caractères au plus).
category-added = Catégorie « { $name } » ajoutée (id { $id }).
category-exists = Une catégorie « { $name } » existe déjà.
category-usage-rename = Utilisation : /category_rename id Nouveau nom ({ $max } caractères au plus).
category-renamed = Catégorie renommée en « { $name } ».
category-not-renamed = Catégorie inconnue, ou ce nom est déjà pris.
category-usage-delete = Utilisation : /category_delete id
category-deleted = Catégorie supprimée ; ses produits restent, sans catégorie.
category-unknown = Catégorie inconnue.

## Mes produits
myproducts-empty = Vous n'avez pas encore de produit. Envoyez /sell pour en publier un.
myproducts-header = Vos produits (touchez-en un pour le gérer) :
myproducts-item = { $title } · { USD($price) } · { $sales ->
    [one] { $sales } vendu
   *[other] { $sales } vendus
}{ $status }
product-status-active = {""}
product-status-paused = {" "}(en pause)
product-status-deleted = {" "}(supprimé)
product-state-active = en vente
product-state-paused = en pause
product-state-deleted = supprimé

not-your-product = Ce produit n'est pas le vôtre ou n'existe plus.
manage-stock = Stock : { $available } restants sur { $total }
manage-card = <b>{ $title }</b>
    Prix : { USD($price) }
    Type : { $kind }
    Statut : { $status }
    Lien : { $link }
    { $stock }
kind-name-file = fichier
kind-name-items = articles uniques
kind-name-text = texte
button-pause = ⏸ Mettre en pause
button-resume = ▶ Reprendre
button-edit-price = 💲 Prix
button-edit-title = ✏ Titre
button-edit-description = ✏ Description
button-edit-file = 📄 Remplacer le fichier
button-restock = ➕ Ajouter des articles
button-edit-text = 📝 Changer le texte
button-edit-cover = 🖼 Photo de couverture
cover-ask = Envoyez la nouvelle photo de couverture (en tant que photo).
button-remove-cover = 🗑 Retirer la couverture
cover-removed = ✅ La photo de couverture est retirée.
cover-not-photo = Envoyez la couverture en tant que photo, pas en fichier.
button-delete = 🗑 Supprimer
button-back = ◀ Retour
button-delete-confirm = 🗑 Oui, le supprimer
product-paused = En pause : le produit est masqué et ne peut pas être acheté.
product-resumed = Repris : le produit est de nouveau en vente.
product-updated = ✅ Enregistré.
restock-ask = Envoyez les nouveaux articles, un par ligne (ou un fichier .txt). Les articles déjà présents sont refusés.
restocked = { $added ->
    [one] { $added } article ajouté
   *[other] { $added } articles ajoutés
} ; { $refused ->
    [one] { $refused } refusé car en double
   *[other] { $refused } refusés car en double
}.
delete-confirm = Supprimer « { $title } » ? Il quitte la boutique ; les acheteurs gardent l'accès à leurs achats.
product-deleted = Supprimé. Les acheteurs gardent l'accès à leurs achats.

## Stock
stock-left = { $count ->
    [one] { $count } restant
   *[other] { $count } restants
}
buy-button-sold-out = Épuisé
sold-out = Désolé, ce produit est épuisé.
seller-sold-out = 📦 « { $title } » est épuisé. Ajoutez des articles depuis /myproducts pour le vendre à nouveau.
paid-but-sold-out = ⚠ Votre paiement de la commande n°{ $order } ({ $title }) est arrivé après l'expiration de l'offre, et le produit s'est épuisé entre-temps. Un administrateur a été prévenu et vous remboursera.
admin-paid-but-sold-out = 🚨 La commande n°{ $order } ({ $title }) a été payée après la libération de son article et il n'en reste plus. Rien n'a été livré et le vendeur n'a pas été crédité : remboursez l'acheteur avec /refund { $order }, ou le prochain réassort du vendeur la livrera.

## Livraison d'articles, de textes et de liens
delivery-item = ✅ Reçu, commande n°{ $order }
    { $title }
    Payé : { USD($total) } ({ $amount } { $coin })

    Votre article :
    { $item }
delivery-text = ✅ Reçu, commande n°{ $order }
    { $title }
    Payé : { USD($total) } ({ $amount } { $coin })

    { $text }
redelivery-item = { $title }
    { $item }
redelivery-text = { $title }
    { $text }
button-link = 🔗 Lien
download-link = { $title } : téléchargez-le depuis ce lien (valable { $minutes } minutes) :
    { $link }
download-link-unavailable = Aucun lien de téléchargement n'est disponible pour cet achat pour le moment.

## Versements aux vendeurs
payout-on-its-way = 💸 Votre versement de { $amount } { $currency } est en route vers { $address }.
payout-released = ↩ Votre versement de { $amount } { $currency } n'a pas été envoyé cette fois. Le montant est de retour dans votre solde disponible et partira avec le prochain versement.
payout-finished = ✅ Versement effectué : { $amount } { $currency } envoyés à { $address }.
    Transaction : { $hash }
payout-failed = ⚠️ Votre versement de { $amount } { $currency } vers { $address } a échoué. Le montant est de retour dans votre solde disponible et partira avec le prochain versement. Vérifiez votre adresse avec /wallet.
admin-payout-failed = ⚠️ Le versement n° { $id } au vendeur { $seller } ({ $amount } { $currency }, { $address }) a échoué : { $error }. Le montant est de retour dans le solde du vendeur.
admin-payout-summary = 💸 Versements (lot n° { $batch }, { $started_by }) : { $count } versements, { $total } { $currency } au total, { $failures } en échec.
admin-payout-released = ⚠️ Le lot de versements n° { $batch } n'a pas été payé : { $reason }. { $count } montants ({ $total } au total) sont revenus dans les soldes des vendeurs.
admin-payout-nothing = Versements : aucun vendeur avec un portefeuille n'a { $minimum } ou plus de disponible. Rien n'a été envoyé.
admin-payout-short = ⚠️ Versements interrompus : le solde de garde contient { $available } { $currency } mais il en faut { $needed } (il manque { $missing }). Rien n'a été créé ; approvisionnez le solde puis lancez /payout_now.
admin-payout-busy = Versements ignorés : une autre exécution traite le lot en cours. Si elle s'est arrêtée, le lot pourra être repris à partir du { $until } (/payout_now).
admin-payout-error = ⚠️ Les versements n'ont pas pu aller au bout : { $error }. Rien n'est payé deux fois : la prochaine exécution (ou /payout_now) reprend là où celle-ci s'est arrêtée.
payout-now-disabled = Les versements sont désactivés : définissez NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD et NOWPAYMENTS_2FA_SECRET.
payout-now-nothing = Personne à payer pour l'instant : aucun vendeur avec un portefeuille n'a { $minimum } ou plus de disponible.
payout-now-confirm = Verser maintenant à { $count ->
    [one] { $count } vendeur
   *[other] { $count } vendeurs
}, { $total } { $currency } au total ?
button-payout-go = 💸 Verser maintenant
button-payout-drop = ✖ Pas maintenant
payout-now-started = Versements lancés. Chaque administrateur recevra le résumé à la fin.
payout-now-dropped = Aucun versement n'a été fait.
payout-now-changed = Les soldes ont changé depuis cette question ; voici le nouveau plan.
admin-conversion-report = 🔁 Conversions : { $finished } terminées, { $rejected } refusées, { $pending } en attente, { $errors } erreurs.
    { $lines }

## Modération
account-banned = Votre compte est suspendu : vous ne pouvez ni acheter ni vendre ici. Contactez les administrateurs si vous pensez qu'il s'agit d'une erreur.
ban-usage = Utilisation : /ban id_utilisateur (un utilisateur banni ne peut ni acheter ni vendre ; ses produits quittent la boutique).
unban-usage = Utilisation : /unban id_utilisateur
ban-admin = Un administrateur ne peut pas être banni.
user-banned = L'utilisateur { $user } est banni : il ne peut ni acheter ni vendre, et ses produits sont masqués.
user-unbanned = L'utilisateur { $user } n'est plus banni ; ses produits reviennent dans la boutique, et le prochain versement paiera ce qui était retenu.
admin-payout-held = ⏸ Versement retenu : le vendeur { $user } est banni, ses { USD($amount) } n'ont pas été versés. /unban { $user } les libère pour le prochain versement.
user-unknown = Aucun utilisateur { $user } n'a jamais utilisé ce bot.
hide-usage = Utilisation : /hide id_produit
unhide-usage = Utilisation : /unhide id_produit
product-hidden = Le produit n° { $product } est masqué de la boutique.
product-unhidden = Le produit n° { $product } revient dans la boutique (si son vendeur le met en vente).
product-unknown = Aucun produit n° { $product }.
refund-usage = Utilisation : /refund id_commande (pour une commande terminée).
order-refunded = La commande n° { $order } est marquée remboursée : { USD($amount) } repris au vendeur { $seller }, et l'acheteur et le vendeur sont prévenus. Renvoyez les cryptos à l'acheteur depuis le tableau de bord NOWPayments : souk ne les déplace pas.
refund-not-finished = La commande n° { $order } est { $status } : seule une commande payée (terminée, ou payée après épuisement du stock) peut être remboursée.
order-unknown = Aucune commande n° { $order }.

## Vues d'administration
stats-usage = Utilisation : /stats day, /stats week (par défaut) ou /stats month.
stats-period-day = dernières 24 heures
stats-period-week = 7 derniers jours
stats-period-month = 30 derniers jours
stats-summary = 📊 Ventes, { $period }
    Ventes : { $sales } · volume brut { USD($gross) } · vente moyenne { USD($average) }
    Commission gagnée : { USD($commission) }
    Frais NOWPayments : { USD($fees) } (inconnus pour { $unknown } ventes)
stats-none = Aucune vente sur cette période.
stats-top-header = Meilleurs vendeurs :
stats-top-line = { $rank }. { $name } (n° { $id }) : { $sales } ventes, { USD($amount) }
stats-coins-header = Par crypto :
stats-coin-line = { $coin } : { $sales } ventes, { USD($amount) }
stats-chart-title = Ventes, { $period } (USD)
payments-usage = Utilisation : /payments [page] [statut], par ex. /payments 2 finished
payments-header = 💳 Paiements ({ $filter }), page { $page } sur { $pages }, { $total } au total :
payments-all = tous
payments-none = Aucun paiement.
payments-line = n° { $order } · { $status } · { USD($total) } · { $coin } · { $date }
payment-detail = 💳 Commande n°{ $order } : { $status }
    Paiement NOWPayments : { $payment }
    Produit : { $title }
    Total : { USD($total) }, payé en { $coin } : { $amount } demandés, { $paid } reçus
    Acheteur : { $buyer } · vendeur : { $seller }
    Créée le { $created } · mise à jour le { $updated }
payment-history = Historique des IPN :
payment-history-none = (aucun)
payment-history-earlier = { $count ->
    [one] … 1 rapport plus ancien
   *[other] … { $count } rapports plus anciens
}
payment-history-line = { $date } · { $status } → { $outcome } ({ $source })
payouts-header = 💸 Derniers lots de versements :
payouts-none = Aucun versement aux vendeurs pour l'instant.
payouts-batch-line = Lot n° { $batch } · { $status } · { USD($total) } · { $started_by } · { $date }
payouts-withdrawals = Derniers retraits :
payouts-line = n° { $id } · vendeur { $seller } · { USD($amount) } · { $status } · { $hash }
health-ok = ✅ ok
health-down = ❌ en panne
health-custody-off = paiements désactivés
health-summary = 🩺 État
    NOWPayments : { $provider }
    Base de données : { $database }
    Solde de garde : { $custody }
    Messages en attente dans la file : { $outbox }
    Tâches (dernière exécution) :
health-jobs-none = aucune tâche n'a encore tourné
health-job-line = { $job } · { $slot } · { $date } · { $outcome }
health-running = en cours

## Diffusions
broadcast-ask = Envoyez le message à diffuser à tous les utilisateurs : un texte (sa mise en forme est gardée), une photo ou un document (/cancel pour arrêter).
broadcast-not-text = Envoyez un texte (4096 caractères au plus), une photo ou un document, ou /cancel.
broadcast-confirm = ⬆ Ce message partira vers { $count ->
    [one] { $count } utilisateur
   *[other] { $count } utilisateurs
}. L'envoyer ?
button-broadcast-go = 📣 Envoyer à tous
button-broadcast-drop = ✖ Annuler
broadcast-dropped = Diffusion annulée : rien n'a été envoyé.
broadcast-not-draft = Cette diffusion a déjà été envoyée ou annulée.
broadcast-progress = 📣 Diffusion n° { $id } : { $sent } envoyés, { $failed } en échec, { $blocked } ont bloqué le bot, { $remaining } restants…
broadcast-progress-done = 📣 Diffusion n° { $id } terminée : { $sent } envoyés, { $failed } en échec, { $blocked } ont bloqué le bot.
broadcast-done = ✅ La diffusion n° { $id } est terminée : { $sent } envoyés, { $failed } en échec, { $blocked } avaient bloqué le bot (ils seront ignorés la prochaine fois).

## Alertes
admin-job-failed = 🚨 La tâche planifiée { $job } ({ $slot }) a échoué : { $error }
admin-provider-down = 🚨 NOWPayments ne répond plus depuis { $minutes } minutes (vérifié à { $at }). Les nouveaux paiements échouent et les IPN peuvent tarder ; souk se rattrape seul à son retour.
admin-provider-up = ✅ NOWPayments répond de nouveau ({ $at }).

## Telegram Stars
button-stars = ⭐ Telegram Stars
stars-price-label = Commande n°{ $order }
stars-refused-unavailable = Ce produit n'est plus disponible.
stars-refused-paid = Cette commande est déjà payée.
stars-refused-expired = Cette commande a expiré ; ouvrez de nouveau le produit pour l'acheter.
stars-refused-price = Le prix a changé ; ouvrez de nouveau le produit pour une nouvelle facture.
admin-stars-paid-twice = 🚨 La commande n° { $order } a été payée une seconde fois en Stars avec une ancienne facture (paiement { $charge }). Rien n'a été livré deux fois, et ce paiement a été remboursé à l'acheteur.
admin-stars-unrecorded = 🚨 Un paiement en Stars (paiement { $charge }, { $payload }) n'a pas pu être enregistré : { $error }. souk le réglera à sa prochaine vérification des Stars, dès que la base de données répondra.
admin-stars-refund-failed = 🚨 La commande n° { $order } a été payée une seconde fois en Stars avec une ancienne facture (paiement { $charge }), et Telegram n'a pas remboursé ce paiement : { $error }. Rien n'a été livré deux fois ; souk réessaiera le remboursement à sa prochaine vérification des Stars.

## Mobile money (NexPay)
button-wave = 🌊 Wave
button-orange-money = 🟠 Orange Money
button-share-phone = 📱 Partager mon numéro
button-open-checkout = Payer maintenant
phone-ask = Quel numéro paie ? Appuyez sur le bouton ci-dessous pour partager le vôtre, ou tapez-le au format international (par exemple +221 77 123 45 67).
phone-invalid = Ce n'est pas un numéro au format international. Tapez-le avec l'indicatif du pays, par exemple +221 77 123 45 67, ou appuyez sur le bouton pour partager le vôtre.
phone-received = Paiement depuis le { $phone }.
mobile-payment-caption = Commande n°{ $order } : <b>{ $title }</b>
    Prix { USD($price) } + frais de plateforme { USD($commission) } ({ PERCENT($percent) }) = { USD($total) }

    Payez { GROUPED($amount) } { $currency ->
        [XOF] F CFA
        [XAF] F CFA
       *[other] { $currency }
    } avec { $provider } : appuyez sur « Payer maintenant » ou scannez le code.

    { $expires }
admin-payment-closed = ⚠️ Commande n°{ $order } : le prestataire de paiement a clos le paiement { $payment } avant son expiration sans dire à souk comment il s'est terminé : il a été payé ou il a échoué. Vérifiez son tableau de bord. Si l'argent y est, /markpaid { $order } livre la commande ; sinon elle expirera d'elle-même.
order-refunded-stars = La commande n°{ $order } est remboursée : Telegram a rendu les Stars à l'acheteur, { USD($amount) } ont été repris au vendeur { $seller }, et l'acheteur et le vendeur sont prévenus.
refund-stars-failed = Telegram n'a pas remboursé les Stars de la commande n°{ $order } : { $error }. Rien n'a été enregistré.

## Aide au paiement
command-paysupport = Aide pour un paiement
paysupport-intro = Un souci de paiement ou de livraison ? Choisissez la commande ci-dessous et un administrateur vous contactera ici. Un paiement en Stars peut être remboursé par un administrateur. Le support de Telegram ne peut pas aider pour les achats faits dans ce bot.
paysupport-order-button = n°{ $order } · { $title }
paysupport-no-orders = Vous n'avez pas encore de commande. Une question de paiement concerne une commande : dès que vous en avez une, /paysupport vous permet de poser votre question.
paysupport-sent = Votre demande au sujet de la commande n°{ $order } a été transmise aux admins ; ils vous répondront ici. Écrivez maintenant votre question (un message) pour qu'ils sachent ce qui s'est passé.
admin-paysupport = 🆘 Aide au paiement : commande n°{ $order } ({ STATUS($status) }, { USD($total) }, payée en { $currency }, paiement { $payment }) de l'utilisateur { $buyer } { $username }. Répondez par le bot avec les boutons ci-dessous ; Rembourser rembourse une commande terminée, Marquer payée livre une commande payée mais jamais signalée.
stats-rails-header = Par moyen de paiement :
stats-rail-line = { $rail } : { $sales } ventes, { USD($amount) }
rail-nowpayments = Crypto (NOWPayments)
rail-stars = ⭐ Telegram Stars
rail-nexpay = Mobile money (NexPay)

## Marquer une commande payée à la main
markpaid-usage = Utilisation : /markpaid id_commande, pour une commande dont vous avez vu le paiement dans le tableau de bord du prestataire mais dont souk n'a jamais été averti.
markpaid-confirm = Marquer la commande n°{ $order } comme payée ?
    Produit : { $title }
    Acheteur : { $buyer }
    Total : { USD($total) } ({ $amount } { $currency }, paiement { $payment })
    Statut actuel : { $status }

    Seulement après avoir vérifié le paiement dans le tableau de bord du prestataire : l'acheteur reçoit son achat et le vendeur est crédité.
markpaid-button = ✅ Oui, c'est payé : livrer
markpaid-done = La commande n°{ $order } est marquée payée : l'acheteur reçoit son achat et le vendeur { $seller } est crédité de { USD($amount) }.
markpaid-stars = La commande n°{ $order } est payée en Stars : Telegram les règle lui-même, elle ne peut donc pas être marquée payée à la main.
markpaid-never-billed = La commande n°{ $order } n'est jamais arrivée chez un prestataire de paiement : l'acheteur n'a rien pu payer.
markpaid-settled = La commande n°{ $order } est { $status } : il n'y a rien à marquer payé.

## Statuts de commande dans les vues admin
order-status-created = créée
order-status-waiting = en attente
order-status-confirming = en confirmation
order-status-confirmed = confirmée
order-status-sending = en cours d'envoi
order-status-partially_paid = payée en partie
order-status-finished = terminée
order-status-failed = échouée
order-status-expired = expirée
order-status-refunded = remboursée
order-status-cancelled = annulée
order-status-paid_sold_out = payée mais épuisée

## Menus de commandes, /help et profil du bot
help-header = Commandes :
help-admin-header = Commandes d'admin :
command-terms = Conditions de vente
command-stats = Chiffres des ventes : /stats day|week|month
command-payments = Paiements : /payments [page] [statut]
command-payouts = Derniers lots de versements
command-health = État des moyens de paiement et de l'envoi
command-broadcast = Écrire à tous les utilisateurs
command-refund = Enregistrer ou faire un remboursement : /refund commande
command-markpaid = Livrer une commande payée selon le tableau de bord du prestataire
command-ban = Bannir un utilisateur : /ban utilisateur
command-unban = Lever un bannissement : /unban utilisateur
command-hide = Masquer un produit : /hide produit
command-unhide = Remontrer un produit masqué
command-payout_now = Verser aux vendeurs maintenant
command-categories = Lister les catégories
command-category_add = Ajouter une catégorie : /category_add Nom
command-category_rename = Renommer une catégorie : /category_rename id Nom
command-category_delete = Supprimer une catégorie : /category_delete id
terms-default = Conditions de vente
    • Les produits numériques sont livrés dans cette conversation dès que le paiement est réglé.
    • Les prix sont en dollars US ; les frais de plateforme sont affichés avant de payer.
    • Si un achat n'arrive pas ou ne fonctionne pas, utilisez /paysupport : les admins répondent, et remboursent quand le produit ne peut pas être livré.
    • Les vendeurs répondent de ce qu'ils vendent ; la place de marché peut masquer des produits et bannir ceux qui enfreignent les règles.
bot-description = Une place de marché de produits numériques : fichiers, clés de licence et textes, payés en crypto, en Telegram Stars ou par mobile money, livrés ici dès que le paiement est réglé.
bot-short-description = Des produits numériques, livrés dès que vous payez.

## /paysupport : la conversation entre un acheteur et les admins
admin-support-message = 💬 Au sujet de la commande n°{ $order }, l'utilisateur { $buyer } écrit :
    { $text }
support-ask = Écrivez votre message au sujet de la commande n°{ $order } (un message) ; les admins répondront ici.
support-question-sent = Transmis aux admins. Leur réponse au sujet de la commande n°{ $order } arrivera ici.
support-text-only = Écrivez votre message sous forme de texte, s'il vous plaît.
support-answer-ask = Écrivez votre réponse à l'utilisateur { $buyer } au sujet de la commande n°{ $order } (un message) ; elle lui est envoyée comme réponse du support.
support-answer = 💬 Réponse du support au sujet de la commande n°{ $order } :
    { $text }
support-answer-sent = Votre réponse au sujet de la commande n°{ $order } a été envoyée à l'acheteur.
button-support-reply = ✍ Répondre
button-open-order = 🔎 Ouvrir la commande
button-refund = ↩ Rembourser
button-mark-paid = ✅ Marquer payée
refund-confirm = Rembourser la commande n°{ $order } ({ $status }, { USD($total) }, payée en { $currency }) ? En crypto et en mobile money, faites d'abord le remboursement dans le tableau de bord du prestataire : ceci l'enregistre et reprend le prix au vendeur. Les Stars d'une commande en Stars sont rendues aussitôt.

## Les lignes de la fiche produit
card-receives-file = Vous recevez un fichier : { $name }{ $size ->
        [none] {""}
       *[other] {" "}({ BYTES($size) })
    }
card-receives-items = Vous recevez une clé de licence (une par acheteur, jamais vendue deux fois)
card-receives-text = Vous recevez un texte, ici dans la conversation
card-stars = {" "}(ou ⭐ { $stars } Stars)
way-nowpayments = en crypto
way-stars = en Telegram Stars
way-nexpay = par mobile money (Wave, Orange Money)
ways-or = ou

## Vendeurs : rappels
sell-no-wallet = 💼 Vous n'avez pas encore de portefeuille de versement : vos ventes vous sont gardées, et versées dès que vous en indiquez un avec /wallet.
items-duplicates-skipped = { $count ->
    [one] { $count } doublon ignoré : chaque article n'est vendu qu'une fois.
   *[other] { $count } doublons ignorés : chaque article n'est vendu qu'une fois.
}

## Litiges
button-problem = ⚠ Problème
button-dispute-reply = 💬 Répondre
button-dispute-refund = ↩ Rembourser tout
button-dispute-part = ➗ Rembourser une partie
button-dispute-close = ✅ Clore pour le vendeur
dispute-ask = Quel est le problème avec la commande n°{ $order } ? Décrivez-le en un message : le vendeur et les admins le liront.
dispute-opened = Le litige n°{ $dispute } sur la commande n°{ $order } est ouvert. Le vendeur et les admins sont prévenus, et leurs réponses arriveront ici. Le vendeur n'est pas payé pour cette commande tant que le litige n'est pas réglé.
dispute-not-finished = La commande n°{ $order } n'est pas encore livrée : seule une commande livrée peut faire l'objet d'un litige. Pour un problème de paiement, utilisez /paysupport.
dispute-window-closed = Le délai de remboursement de la commande n°{ $order } est passé. Utilisez /paysupport pour écrire aux admins.
dispute-already-opened = La commande n°{ $order } a déjà le litige n°{ $dispute } : répondez-y avec son bouton Répondre.
dispute-not-yours = Ce litige ne vous concerne pas.
dispute-already-settled = Le litige n°{ $dispute } est déjà réglé.
dispute-opened-seller = ⚠ Litige n°{ $dispute } sur votre vente « { $title } » (commande n°{ $order }, { USD($total) }). L'acheteur écrit :
    { $text }
    Le crédit de cette vente est gelé jusqu'à ce qu'un admin règle le litige. Répondez avec le bouton ci-dessous.
admin-dispute-opened = ⚠ Litige n°{ $dispute } : commande n°{ $order } (« { $title } », { USD($total) }), acheteur { $buyer }, vendeur { $seller }. L'acheteur écrit :
    { $text }
dispute-message = 💬 Litige n°{ $dispute } (commande n°{ $order }), { $role ->
        [buyer] l'acheteur écrit
        [seller] le vendeur écrit
       *[admin] les admins écrivent
    } :
    { $text }
dispute-reply-ask = Écrivez votre message pour le litige n°{ $dispute } : il ira aux autres parties.
dispute-message-sent = Envoyé aux autres parties du litige n°{ $dispute }.
dispute-part-ask = Quelle part de la commande n°{ $order } ({ USD($price) }) revient à l'acheteur ? Tapez un montant en dollars inférieur au prix, par exemple 12,50. Faites le remboursement dans le tableau de bord du prestataire : ceci l'enregistre et le reprend sur le crédit du vendeur.
dispute-part-invalid = Tapez un montant en dollars, supérieur à 0,00 $ et inférieur à { USD($price) }, par exemple 12,50.
dispute-stars-in-full = Telegram ne rend les Stars qu'en totalité : utilisez Rembourser tout pour cette commande.
dispute-settled = Le litige n°{ $dispute } est réglé ; l'acheteur et le vendeur sont prévenus.
dispute-part-buyer = ✅ Le litige n°{ $dispute } (commande n°{ $order }) est réglé : { USD($amount) } vous sont remboursés, et vous gardez votre achat.
dispute-part-seller = Le litige n°{ $dispute } (commande n°{ $order }) est réglé : { USD($amount) } reviennent à l'acheteur et sont repris sur le crédit de cette vente.
dispute-closed-buyer = Le litige n°{ $dispute } (commande n°{ $order }) est clos par les admins sans remboursement.
dispute-closed-seller = ✅ Le litige n°{ $dispute } (commande n°{ $order }) est clos en votre faveur : le crédit de cette vente n'est plus gelé.
dispute-full-buyer = ✅ Le litige n°{ $dispute } (commande n°{ $order }) est réglé : la commande vous est remboursée en totalité.
dispute-full-seller = Le litige n°{ $dispute } (commande n°{ $order }) est réglé : la commande est remboursée en totalité, et son prix est repris.

## Alertes de réassort
button-notify-me = 🔔 Me prévenir quand il revient
notify-subscribed = Vous serez prévenu une fois, quand « { $title } » sera de nouveau en stock.
notify-in-stock = « { $title } » est en stock : vous pouvez l'acheter maintenant.
restock-alert = 🔔 « { $title } » est de nouveau en stock.
button-view-product = 🛒 Le voir

## Avis
review-invite = Comment était « { $title } » ? Notez-le pour les autres acheteurs :
button-rate = { $stars }★
review-rated = Merci : { $stars }. Ajoutez un commentaire pour les autres acheteurs en un message, ou passez à autre chose.
review-changed = Votre note est maintenant { $stars }. Envoyez un nouveau commentaire en un message, ou passez à autre chose.
review-saved = ✅ Votre avis est enregistré. Vous pouvez le changer à tout moment avec les étoiles ci-dessus.
review-not-a-buyer = Seul l'acheteur d'une commande livrée peut donner son avis.
seller-new-review = ⭐ Nouvel avis sur « { $title } » (commande n°{ $order }) : { $stars }. Son commentaire s'affiche avec les avis du produit ; vous pouvez y répondre une fois.
button-review-answer = 💬 Répondre
review-answer-ask = Écrivez votre réponse à cet avis (une seule fois ; elle s'affiche dessous).
review-answer-saved = ✅ Votre réponse est enregistrée ; l'acheteur est prévenu.
review-answered-already = Cet avis a déjà une réponse.
review-not-yours = Cet avis ne porte pas sur l'un de vos produits.
review-answered = 💬 Le vendeur de « { $title } » a répondu à votre avis : { $text }
card-rating = ⭐ { $average } ({ $count ->
    [one] 1 avis
   *[other] { $count } avis
})
button-reviews = 💬 Avis ({ $count })
button-seller = 👤 Vendeur
reviews-header = <b>Avis sur { $title }</b> : ⭐ { $average } ({ $count ->
    [one] 1 avis
   *[other] { $count } avis
})
reviews-line = { $stars } { $comment } <i>n°{ $id }</i>
reviews-answer = ↳ <i>Vendeur : { $text }</i>
seller-profile = 👤 <b>{ $seller }</b>
    ⭐ { $average } ({ $count ->
        [one] 1 avis
       *[other] { $count } avis
    }) · { $sales ->
        [one] 1 vente
       *[other] { $sales } ventes
    }
    { $products ->
        [one] 1 produit en vente :
       *[other] { $products } produits en vente :
    }
seller-unknown = Ce vendeur n'a aucun produit en vente.
review-hidden = L'avis n°{ $id } est masqué.
review-unknown = Il n'y a pas d'avis n°{ $id }.
hide-review-usage = Utilisation : /hide_review <numéro de l'avis> (le numéro après n° dans les avis d'un produit)
command-hide_review = Masquer un avis : /hide_review <numéro>

## Codes promo
button-have-a-code = 🏷 Un code promo ?
coupon-line = 🏷 Code <b>{ $code }</b> : { USD($discount) } de remise, déjà déduits.
coupon-ask = Tapez votre code.
coupon-applied = 🏷 Code { $code } appliqué.
coupon-unknown = Ce code n'existe pas. Vérifiez son orthographe, ou continuez sans code.
coupon-expired = Ce code a expiré.
coupon-used-up = Ce code a atteint son nombre d'utilisations. Le prix sans code s'affiche quand vous choisissez à nouveau.
coupon-not-for-this = Ce code n'est pas valable pour ce produit.
coupon-already-used = Vous avez déjà utilisé ce code.
coupon-created = 🏷 Code créé :
coupon-item = { $code } : { $kind ->
        [percent] { PERCENT($value) }
       *[fixed] { USD($value) }
    } de remise, { $product ->
        [all] sur tous les produits
       *[other] sur le produit n°{ $product }
    }{ $platform ->
        [yes] {" "}(de la plateforme, pris sur la commission)
       *[no] {""}
    }, { $uses ->
        [one] utilisé 1 fois
       *[other] utilisé { $uses } fois
    }{ $max ->
        [none] {""}
       *[other] {" "}sur { $max }
    }{ $until ->
        [none] {""}
       *[other] , jusqu'au { $until }
    }
coupon-usage = Utilisation : /coupon CODE REMISE [product=<n°>] [uses=<n>] [days=<n>], par exemple /coupon PRINTEMPS 10% uses=50 days=30 (REMISE est un pourcentage comme 10% ou un montant comme 5.00). Les admins ajoutent « platform » pour un code valable sur tous les produits, pris sur la commission.
coupon-bad-code = Un code fait de 3 à 32 lettres, chiffres, - ou _.
coupon-bad-discount = La remise est un pourcentage comme 10% ou un montant en dollars comme 5.00.
coupon-bad-number = uses= et days= prennent un nombre entier à partir de 1.
coupon-code-taken = Ce code existe déjà : choisissez-en un autre.
coupons-none = Vous n'avez pas encore de code. Créez-en un avec /coupon.
coupons-header = 🏷 Vos codes :
command-coupon = Créer un code promo
command-coupons = Vos codes promo

## Parrainage
invite = 🤝 Invitez des gens avec votre lien :
    { $link }
    Pendant { $days } jours après l'arrivée de quelqu'un par ce lien, vous gagnez { PERCENT($share) } des frais de la plateforme sur chacun de ses achats, versés avec les versements hebdomadaires une fois le délai de remboursement passé (indiquez un portefeuille avec /wallet).
    Inscriptions : { $signups } · Achats : { $purchases } · Gagné : { USD($earned) }
referral-earned = 🤝 Un acheteur que vous avez invité a acheté « { $title } » (commande n°{ $order }) : { USD($amount) } gagnés. { $clears ->
        [now] Solde disponible : { USD($balance) }.
       *[other] Ils sont retenus jusqu'au { $clears } (le délai de remboursement), puis versés avec les versements hebdomadaires.
    }
referral-reversed = ↩ La commande n°{ $order } (« { $title } ») d'un acheteur que vous avez invité a été remboursée : les { USD($amount) } qu'elle vous avait rapportés sont repris.
command-invite = Votre lien d'invitation et ce qu'il a rapporté
ledger-referral = parrainage
ledger-referral_reversal = parrainage remboursé

## Exports
export-caption = 📄 Commandes, écritures et versements : { $rows ->
    [one] 1 ligne
   *[other] { $rows } lignes
}, en dollars et en heures UTC.
export-usage = Utilisation : /export pour vos commandes, écritures et versements. Admins : /export [du] [au] avec des jours UTC comme /export 2026-11-01 2026-11-30 (les 30 derniers jours par défaut).
command-export = Vos commandes, gains et versements en fichier CSV

## Rapprochement
reconcile-usage = Utilisation : /reconcile [du] [au] avec des jours UTC comme /reconcile 2026-11-01 2026-11-30 (les 7 derniers jours par défaut).
reconcile-needs-login = Le rapprochement lit la liste des paiements de NOWPayments, qui demande l'identifiant du compte : renseignez NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD et NOWPAYMENTS_2FA_SECRET.
reconcile-failed = NOWPayments n'a pas pu être lu pour l'instant : réessayez /reconcile dans un moment.
reconcile-header = 🧾 Rapprochement avec NOWPayments : { $payments } paiements et { $payouts } versements vérifiés, { $differences ->
    [0] aucun écart.
    [one] 1 écart :
   *[other] { $differences } écarts :
}
reconcile-clean = Chaque centime est justifié.
reconcile-unsettled = • { $rail ->
        [stars] Le paiement en Stars { $payment } ({ $price } Stars)
       *[other] Le paiement { $payment } ({ $status }, { $price } $)
    } contient de l'argent que souk n'a jamais réglé (commande { $order }).
reconcile-unknown = • La commande n°{ $order } a été réglée par souk, mais { $rail ->
        [stars] Telegram ne connaît pas son paiement en Stars
       *[other] NOWPayments ne connaît pas son paiement
    } { $payment }.
reconcile-stars = • La commande n°{ $order } demandait { $souk } Stars, mais le paiement Telegram { $charge } est de { $telegram } Stars.
reconcile-amount = • Commande n°{ $order } : le total de souk est { USD($souk) }, le prix de NOWPayments pour le paiement { $payment } est { $provider } $.
reconcile-payout = • Versement n°{ $payout } (retrait { $withdrawal }) : souk a { $souk }, NOWPayments a { $provider }.
admin-books-summary = 🧾 Avant les versements, le rapprochement avec NOWPayments a vérifié { $payments } paiements et { $payouts } versements : { $differences ->
    [0] aucun écart.
    [one] 1 écart. Voir /reconcile.
   *[other] { $differences } écarts. Voir /reconcile.
}
command-reconcile = Rapprocher les comptes de souk de ceux de NOWPayments : /reconcile [du] [au]
button-hide-review = 🙈 Masquer n°{ $id }
reviews-header-none = <b>Avis sur { $title }</b> : aucun à afficher.

## Accès aux chaînes et groupes
kind-access = 🔐 Un accès à une chaîne ou un groupe
kind-name-access = accès à un chat
sell-access-pick = Choisissez la chaîne ou le groupe que les acheteurs rejoignent, avec les boutons ci-dessous. Telegram vous demande d'ajouter le bot comme administrateur pouvant inviter des utilisateurs et bannir des membres.
button-pick-channel = 📢 Choisir une chaîne
button-pick-group = 👥 Choisir un groupe
sell-access-not-admin = Le bot n'est pas encore administrateur de ce chat. Ajoutez-le comme administrateur pouvant inviter des utilisateurs et bannir des membres, puis choisissez le chat à nouveau.
sell-access-no-invite = Le bot ne peut pas inviter d'utilisateurs dans ce chat. Donnez-lui ce droit, puis choisissez le chat à nouveau.
sell-access-no-ban = Le bot ne peut pas bannir de membres dans ce chat (il lui faut ce droit pour retirer un accès qui se termine). Donnez-lui ce droit, puis choisissez le chat à nouveau.
sell-access-ok = ✅ Le bot administre « { $chat } » avec les droits qu'il lui faut.
card-receives-access = { $days ->
        [0] Vous recevez un accès à vie à « { $chat } » : un lien pour rejoindre que vous seul pouvez utiliser
       *[other] Chaque paiement donne { $days } jours d'accès à « { $chat } » (payé avant la fin, il la prolonge) : un lien pour rejoindre que vous seul pouvez utiliser
    }
delivers-access = { $days ->
        [0] un accès à « { $chat } », à vie
       *[other] un accès à « { $chat } », { $days } jours par paiement (le prix est celui d'une période)
    }
delivery-access = ✅ Reçu, commande n°{ $order }
    { $title }
    Payé : { USD($total) } ({ $amount } { $coin })

    { $until ->
        [none] Votre lien pour rejoindre (il ne marche que pour vous : Telegram demande, et souk vous laisse entrer) :
       *[other] Votre accès court jusqu'au { $until }. Votre lien pour rejoindre (il ne marche que pour vous : Telegram demande, et souk vous laisse entrer) :
    }
    { $link }
button-join = 🔐 Rejoindre
redelivery-access = { $title } : un nouveau lien pour rejoindre, pour vous seul :
    { $link }
access-ended-refund = La commande n°{ $order } (« { $title } ») a été remboursée, donc son accès a pris fin : vous avez quitté le chat, et votre lien pour rejoindre ne marche plus.
access-rights-lost = ⚠ Le bot ne peut plus inviter d'acheteurs dans « { $chat } » : il a été retiré ou a perdu ses droits d'administrateur. « { $title } » est en pause, et les acheteurs qui ont payé reçoivent leur lien dès que le bot est de nouveau administrateur avec le droit d'inviter et de bannir ; relancez-le ensuite dans /myproducts.
admin-access-rights-lost = ⚠ Produit n°{ $product } (« { $title } ») : le bot ne peut plus inviter d'acheteurs dans « { $chat } » ({ $chat_id }). Le produit est en pause ; ses livraisons payées attendent le retour des droits.
sell-access-term = Combien de temps un paiement donne-t-il accès ? Le prix que vous avez fixé vaut pour une période.
term-lifetime = ♾ À vie
term-days = { $days } jours
delivery-access-renewed = ✅ Reçu, commande n°{ $order }
    { $title }
    Payé : { USD($total) } ({ $amount } { $coin })

    Votre accès est renouvelé : il court désormais jusqu'au { $until }.
button-renew = 🔄 Renouveler
access-reminder = ⏳ Votre accès à « { $title } » se termine { $days ->
        [one] demain
       *[other] dans { $days } jours
    }, le { $until }. Renouvelez-le pour rester : un renouvellement payé maintenant le prolonge à partir de ce jour.
access-expired = Votre accès à « { $title } » a pris fin, vous avez donc quitté le chat. Renouvelez-le quand vous voulez pour revenir : vous recevrez un nouveau lien pour rejoindre.
stars-subscribe = ⭐ { $title } : { $stars } Stars tous les 30 jours. Telegram le renouvelle tout seul ; résiliez-le quand vous voulez dans Telegram.
button-stars-subscribe = ⭐ S'abonner : { $stars } Stars / 30 jours
access-until = jusqu'au { $date }
access-for-life = à vie
manage-members = 👥 { $members } { $members ->
        [one] membre
       *[other] membres
    } avec accès · 30 derniers jours : { USD($income) }
button-members = 👥 Membres
members-header = <b>Membres de { $title }</b> : { $members } avec accès
members-line = • { $name }, { $until }{ $state ->
        [in] {""}
       *[out] , n'est plus dans le chat
    }
members-more = … et { $more } de plus
button-end-member = ✖ Retirer l'accès : { $name }
button-end-member-confirm = ✖ Retirer l'accès
end-member-confirm = Retirer à ce membre son accès à <b>{ $title }</b> ? Il quitte le chat tout de suite, sans remboursement.
member-ended = C'est fait : cet accès a pris fin, et le membre quitte le chat dans un instant.
access-ended-by-seller = Votre accès à « { $title } » a été retiré par son vendeur, vous avez donc quitté le chat. Si vous pensez que c'est une erreur, écrivez-nous avec /paysupport.
purchases-access = 🔐 <b>{ $title }</b> : accès { $until }
button-renew-title = 🔄 Renouveler { $title }
access-over = Votre accès à « { $title } » a pris fin : renouvelez-le depuis sa fiche pour recevoir un nouveau lien pour rejoindre.

## The Mini App storefront
app-search = Chercher dans la boutique
app-categories = Catégories
app-newest = Nouveautés
app-results = Résultats
app-shop = 🛍 Boutique
app-purchases = 📦 Mes achats
app-no-results = Rien ne correspond pour l'instant. Essayez d'autres mots.
app-no-purchases = Aucun achat pour l'instant : ce que vous achetez s'affiche ici.
app-copy = 📋 Copier
app-copied = ✅ Copié
app-waiting = En attente de votre paiement… Cette page se met à jour toute seule, et le bot vous prévient aussi dans la conversation.
app-delivered = ✅ Payé : votre achat est dans votre conversation avec le bot.
app-failed = Le paiement n'a pas abouti. Rien n'a été prélevé : vous pouvez réessayer.
app-open-checkout = Ouvrir la page de paiement
app-error = Un problème est survenu. Réessayez dans un instant.
app-money = { USD($amount) }
app-stars = Payer { $stars } ⭐
app-rating = ★ { $rating } ({ $count })
app-send-exactly = Envoyez exactement { $amount } { $coin } à cette adresse :
menu-open-shop = 🛍 Ouvrir la boutique
menu-button-shop = Boutique
button-open-in-app = 🛍 Ouvrir dans l'app de la boutique
app-resend = 📨 Renvoyer dans la conversation
app-resent = ✅ Envoyé : regardez votre conversation avec le bot
app-best-rated = Les mieux notés
app-download = ⬇ Télécharger
app-phone = Votre numéro mobile money, au format international (avec l'indicatif du pays) :
app-phone-go = Continuer
