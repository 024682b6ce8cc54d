# souk : français. Les arguments sont du texte brut ; les montants arrivent déjà formatés.

## Menu et général
welcome = Bienvenue sur souk, la place de marché de produits numériques payés en crypto.
    Parcourez les produits, retrouvez vos achats ou vendez vos propres fichiers.
sandbox-notice = 🧪 Mode bac à sable : les paiements sont simulés, aucun argent réel ne circule.
menu-browse = 🛍 Parcourir les produits
menu-purchases = 📦 Mes achats
menu-sell = ➕ Vendre un fichier
help = Commandes :
    /browse : parcourir les produits
    /purchases : vos achats, pour les télécharger à nouveau
    /sell : mettre un fichier en vente
    /language : changer de langue
    /cancel : arrêter l'opération en cours
idle-hint = Je n'ai pas compris. Utilisez /browse pour acheter, /sell pour vendre un fichier, ou /help.
unknown-command = Commande inconnue. Envoyez /help pour voir ce que je sais faire.
too-fast = Vous allez trop vite. Patientez quelques secondes.
text-too-long = Ce message est trop long.
stale-button = Ce bouton n'est plus valable.
error-generic = Un problème est survenu de notre côté. Réessayez dans un instant.
cancelled = Annulé.
nothing-to-cancel = Il n'y a rien à annuler.
language-choose = Choisissez votre langue :
language-set = Langue réglée sur le français.

## Vendre
sell-ask-title = Quel est le titre du produit ? ({ $max } caractères au plus, /cancel pour arrêter)
sell-title-invalid = Le titre doit contenir entre 1 et { $max } caractères de texte. Renvoyez le titre.
sell-ask-description = Maintenant, une description du produit ({ $max } caractères au plus).
sell-description-invalid = La description doit contenir entre 1 et { $max } caractères de texte. Renvoyez-la.
sell-ask-price = Le prix en dollars US, par exemple 25 ou 25,50 (au moins { $min } $).
price-not-a-number = Ce n'est pas un prix. Envoyez un nombre comme 25 ou 25,50.
price-too-many-decimals = Un prix a au plus 2 décimales (les centimes). Renvoyez-le, par exemple 25,50.
price-below-minimum = Le prix minimum est de { $min } $. Envoyez un prix plus élevé.
price-too-large = Le prix maximum est de { $max } $. Envoyez un prix plus bas.
sell-ask-file = Envoyez maintenant le fichier que recevront les acheteurs, en tant que document (📎 → Fichier).
sell-file-not-document = Envoyez le fichier en tant que document (📎 → Fichier), pas comme photo, texte ou média.
sell-summary = Prêt à publier :
    Titre : { $title }
    Description : { $description }
    Prix : { $price } $
    Fichier : { $file }
button-publish = ✅ Publier
button-cancel = ✖ Annuler
sell-confirm-pending = Appuyez sur Publier ou Annuler sous le récapitulatif ci-dessus.
sell-published = « { $title } » est en vente. Partagez ce lien avec les acheteurs :
    { $link }
sell-discarded = Le produit n'a pas été publié.
sell-nothing-to-publish = Aucun produit n'attend d'être publié. Envoyez /sell pour en créer un.

## Acheter
product-card = { $title }

    { $description }

    Prix : { $price } $ ({ $total } $ avec les frais de plateforme)
buy-button = 🛒 Acheter pour { $price } $
product-unavailable = Ce produit n'est plus disponible.
browse-empty = Aucun produit en vente pour l'instant.
browse-header = Produits (page { $page }) :
browse-item = { $title } · { $price } $
button-prev = ◀ Précédent
button-next = Suivant ▶
choose-currency = { $title } : { $total } $. Choisissez comment payer :
no-currencies = Aucun moyen de paiement n'est disponible pour le moment. Réessayez plus tard.
currency-not-offered = Cette crypto-monnaie n'est pas disponible pour le moment. Choisissez-en une autre.
provider-down = Le prestataire de paiement ne répond pas pour le moment. Rien n'a été débité ; réessayez dans quelques minutes.
provider-refused = Le prestataire de paiement a refusé de créer ce paiement. Choisissez une autre monnaie ou réessayez plus tard.
below-minimum = { $minimum } $ est le minimum accepté par le prestataire en { $coin }. Choisissez une autre monnaie.
payment-caption = Commande n°{ $order } : { $title }
    Prix { $price } $ + frais de plateforme { $commission } $ ({ $percent } %) = { $total } $

    Envoyez exactement { $amount } { $coin }
    à : { $address }

    Expire : { $expires }
    Votre fichier est envoyé ici dès que le paiement est confirmé.
expiry-unknown = dans 7 jours environ si rien n'est envoyé
sandbox-payment-notice = 🧪 Bac à sable : appuyez sur « Simuler le paiement » pour faire comme si vous aviez payé.
button-check-status = 🔄 Vérifier le statut
button-cancel-order = ✖ Annuler la commande
button-simulate = 🧪 Simuler le paiement
simulate-started = Simulation du paiement : confirmation, puis terminé…
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
status-unavailable = Le prestataire de paiement ne répond pas ; réessayez sous peu.

## Messages liés aux paiements
payment-detected = 💸 Paiement détecté pour la commande n°{ $order } ({ $title }). En attente des confirmations du réseau ; votre fichier suit dès qu'il est réglé.
delivery-receipt = ✅ Reçu, commande n°{ $order }
    { $title }
    Payé : { $total } $ ({ $amount } { $coin })
    Merci ! Retrouvez-le à tout moment avec /purchases.
seller-sale = 🎉 Vente ! « { $title } » (commande n°{ $order }) : { $amount } $ crédités sur votre compte. Solde disponible : { $balance } $.
seller-refund = ↩ La commande n°{ $order } (« { $title } ») a été remboursée : { $amount } $ repris. Solde disponible : { $balance } $.
payment-partially-paid = ⚠ Commande n°{ $order } ({ $title }) : { $paid } { $coin } reçus, il manque { $missing } { $coin }.
    Envoyez le montant manquant à { $address } pour finaliser la commande.
payment-failed = ❌ Le paiement de la commande n°{ $order } ({ $title }) a échoué. Rien n'a été livré. Vous pouvez réessayer.
payment-expired = ⌛ Le paiement de la commande n°{ $order } ({ $title }) a expiré. Vous pouvez refaire un achat à tout moment.
payment-refunded = ↩ Le paiement de la commande n°{ $order } ({ $title }) a été remboursé.
admin-payment-mismatch = 🚨 L'IPN de la commande n°{ $order } (paiement { $payment }) ne lui correspond pas : { $reason }. Rien n'a été livré.

## Achats
purchases-empty = Vous n'avez encore rien acheté. Utilisez /browse pour trouver quelque chose.
purchases-header = Vos achats (touchez-en un pour recevoir à nouveau le fichier) :
purchase-resend = n°{ $order } { $title }
redownload-caption = { $title }

## Command menu (shown by Telegram next to the input field)
command-start = Menu principal
command-browse = Parcourir les produits
command-purchases = Vos achats
command-sell = Vendre un fichier
command-language = Changer de langue
command-help = Aide
command-cancel = Arrêter l'opération en cours

## Portefeuille et gains
wallet-none = Vous n'avez pas encore de portefeuille de paiement. Envoyez votre adresse { $coin } : vos gains y sont versés chaque semaine. (/cancel pour arrêter)
wallet-current = Votre portefeuille de paiement ({ $coin }) : { $address }
    Envoyez une nouvelle adresse pour le changer, ou /cancel pour le garder.
wallet-not-an-address = ce n'est pas une adresse
wallet-invalid = Cette adresse a été refusée : { $reason }. Vérifiez-la et renvoyez-la.
wallet-confirm-change = Remplacer votre portefeuille de paiement ?
    Actuel : { $old }
    Nouveau : { $new }
wallet-confirm-pending = Appuyez sur Remplacer ou Garder sous la question ci-dessus.
button-wallet-replace = ✅ Remplacer
button-wallet-keep = ✖ Garder l'actuel
wallet-saved = ✅ Portefeuille de paiement enregistré ({ $coin }) : { $address }
wallet-kept = Votre portefeuille de paiement n'a pas changé.
earnings-summary = 💰 Vos gains
    En attente (payés, pas encore confirmés) : { $pending } $
    Disponible : { $available } $
    Versé : { $paid } $
earnings-no-entries = Aucune écriture pour l'instant : votre première vente apparaîtra ici.
earnings-recent = Dernières écritures :
earnings-entry = { $date } · { $kind } · { $amount } $ · commande n°{ $order }
ledger-sale = vente
ledger-payout = versement
ledger-payout_reversal = versement échoué restitué
ledger-refund = remboursement
command-wallet = Votre portefeuille de paiement
command-earnings = Vos gains
