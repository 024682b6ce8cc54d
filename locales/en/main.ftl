# souk: English. Arguments are plain text; amounts come formatted.

## Menu and general
welcome = Welcome to souk, a marketplace for digital goods: files, licence keys and texts, paid with { $ways }.
    Browse products, find your purchases, or sell your own.
sandbox-notice = 🧪 Sandbox mode: payments are simulated, no real money moves.
menu-browse = 🛍 Browse products
menu-purchases = 📦 My purchases
menu-sell = ➕ Sell
idle-hint = I did not understand that. Use /browse to shop, /sell to sell, or /help.
unknown-command = Unknown command. Send /help to see what I can do.
too-fast = You are going too fast. Please wait a few seconds.
text-too-long = That message is too long.
stale-button = This button is no longer valid.
error-generic = Something went wrong on our side. Please try again in a moment.
cancelled = Cancelled.
nothing-to-cancel = There is nothing to cancel.
language-choose = Choose your language:
language-set = Language set to English.

## Selling
sell-ask-title = What is the product's title? (at most { $max } characters, /cancel to stop)
sell-title-invalid = The title must be between 1 and { $max } characters of text. Send the title again.
sell-ask-description = Now a description of the product (at most { $max } characters).
sell-description-invalid = The description must be between 1 and { $max } characters of text. Send it again.
sell-ask-price = The price in US dollars, for example 25 or 25.50 (at least { USD($min) }).
price-not-a-number = That is not a price. Send a number such as 25 or 25.50.
price-too-many-decimals = A price has at most 2 decimals (cents). Send it again, for example 25.50.
price-below-minimum = The minimum price is { USD($min) }. Send a higher price.
price-too-large = The maximum price is { USD($max) }. Send a lower price.
sell-ask-file = Now send the file buyers will receive, as a document (📎 → File).
sell-ask-category = Which category is it in?
sell-press-a-button = Please choose with the buttons above.
sell-ask-kind = What do buyers receive?
kind-file = 📄 A file (the same for everyone)
kind-items = 🔑 Unique items (license keys, codes…)
kind-text = 📝 A text (a link, instructions)
sell-ask-items = Send the items, one per line (or a .txt file with one per line). Each buyer gets one, never sold twice.
sell-ask-text = Send the text every buyer will receive (a link, instructions…).
sell-text-not-text = Please send the text as a message.
items-not-text = Send the items as text, one per line, or as a .txt file.
items-not-utf8 = This file is not plain text (UTF-8). Send a .txt file with one item per line.
items-file-unreadable = This file could not be read. Send a .txt file of at most { $max } KB, or the items as text.
items-empty = There is no item in that message: send one item per line.
items-too-many = That is too many items at once (10,000 at most). Send them in several parts.
items-too-long = One of the lines is too long (1,000 characters at most per item).
delivers-file = the file { $file }
delivers-items = { $count ->
    [one] 1 unique item
   *[other] { $count } unique items
}
delivers-text = this text: { $text }
sell-file-not-document = Please send the file as a document (📎 → File), not as a photo, text or media.
sell-ask-cover = Send a cover photo for the product's card (as a photo), or tap Skip.
button-skip = Skip ▶
sell-cover-not-photo = Send the cover as a photo (not a file), or tap Skip.
sell-summary-cover = yes
sell-summary-no-cover = none
sell-summary = Ready to publish:
    Title: { $title }
    Description: { $description }
    Price: { USD($price) }: buyers pay { USD($total) } with the platform fee, and you earn { USD($price) } a sale
    Category: { $category }
    Delivers: { $delivers }
    Cover photo: { $cover }
button-publish = ✅ Publish
button-cancel = ✖ Cancel
sell-confirm-pending = Press Publish or Cancel under the summary above.
sell-published = “{ $title }” is on sale. Share this link with buyers:
    { $link }
sell-discarded = The product was not published.
sell-nothing-to-publish = There is no product waiting to be published. Send /sell to start one.

## Buying
product-card = <b>{ $title }</b>

    { $description }

    📦 { $receives }
    👤 Sold by { $seller } · { $sales ->
        [one] 1 sale
       *[other] { $sales } sales
    }
    💰 Price: <b>{ USD($total) }</b> with the platform fee{ $stars }
buy-button = 🛒 Buy for { USD($price) }
product-unavailable = This product is no longer available.
browse-empty = No products for sale yet.
browse-header = Products (page { $page }):
browse-item = { $title } · { USD($price) }
button-prev = ◀ Previous
button-next = Next ▶
choose-currency = { $title }: { USD($total) }. Choose how you want to pay:
no-currencies = No payment method is available right now. Please try again later.
currency-not-offered = This currency is not available right now. Please choose another one.
provider-down = The payment provider is not responding right now. Nothing was charged; please try again in a few minutes.
provider-refused = The payment provider refused to create this payment. Please choose another currency or try later.
below-minimum = { USD($minimum) } is the least the payment provider accepts in { $coin }. Please choose another currency.
payment-caption = Order #{ $order }: <b>{ $title }</b>
    Price { USD($price) } + platform fee { USD($commission) } ({ PERCENT($percent) }) = { USD($total) }

    Send exactly <code>{ $amount }</code> { $coin }
    to: <code>{ $address }</code>
    (tap the amount or the address to copy it)

    { $expires }
    { $kind ->
        [file] Your file is sent here as soon as the payment is confirmed.
        [items] Your key is sent here as soon as the payment is confirmed.
        [access] Your join link is sent here as soon as the payment is confirmed.
       *[text] Your text is sent here as soon as the payment is confirmed.
    }
expiry-unknown = Expires in about 7 days if nothing is sent.
expires-in = Expires in { $minutes } min ({ $time } UTC).
expires-in-hours = Expires in { $hours } h ({ $time } UTC).
expires-on = Expires on { $date } at { $time } UTC.
button-copy-address = 📋 Copy address
button-copy-amount = 📋 Copy amount
sandbox-payment-notice = 🧪 Sandbox: press “Simulate payment” to pretend you paid.
button-check-status = 🔄 Check status
button-cancel-order = ✖ Cancel order
button-simulate = 🧪 Simulate payment
simulate-started = Simulating payment: confirming, then finished…
simulate-unavailable = Payment simulation exists only in sandbox mode.
order-not-payable = This order can no longer be paid.
order-cancelled = Order cancelled. If you already sent money, it will still be credited.
order-not-cancellable = This order can no longer be cancelled.
not-your-order = This order is not yours or no longer exists.

## Order status (check button)
status-created = The payment has not been created yet.
status-waiting = Waiting for your payment.
status-confirming = Payment detected, waiting for confirmations.
status-confirmed = Payment confirmed, finishing up.
status-sending = Payment confirmed, finishing up.
status-partially_paid = Only part of the amount arrived.
status-finished = Paid. Your file was sent.
status-failed = The payment failed.
status-expired = The payment expired.
status-refunded = The payment was refunded.
status-cancelled = The order was cancelled.
status-paid_sold_out = Paid, but the product sold out before your payment arrived. An admin will refund you, unless the seller restocks first (you then get it at once).
status-unavailable = The payment provider is not answering; please try again shortly.

## Messages caused by payments
payment-detected = 💸 Payment detected for order #{ $order } ({ $title }). Waiting for network confirmations; your { $kind ->
        [file] file follows
        [items] key follows
        [access] join link follows
       *[text] text follows
    } as soon as it settles.
delivery-receipt = ✅ Receipt, order #{ $order }
    { $title }
    Paid: { USD($total) } ({ $amount } { $coin })
    Thank you! Find it again any time with /purchases.
seller-sale = 🎉 Sale! “{ $title }” (order #{ $order }): { USD($amount) } credited to you. { $clears ->
        [now] Available balance: { USD($balance) }.
       *[other] It is held until { $clears } (the refund window), then paid with the weekly payouts.
    }
seller-sale-no-wallet = 🎉 Sale! “{ $title }” (order #{ $order }): { USD($amount) } credited to you. { $clears ->
        [now] Available balance: { USD($balance) }.
       *[other] It is held until { $clears } (the refund window), then paid with the weekly payouts.
    }
    💼 Set your payout wallet with /wallet to be paid.
seller-sale-sandbox = 🎉 Sale! “{ $title }” (order #{ $order }), in sandbox mode: the payment was simulated, so nothing is credited to you.
seller-refund = ↩ Order #{ $order } (“{ $title }”) was refunded: { USD($amount) } taken back. { $clears ->
        [now] Available balance: { USD($balance) }.
       *[other] It comes out of the money held for the refund window, not out of your available balance.
    }
payment-partially-paid = ⚠ Order #{ $order } ({ $title }): { $paid } { $coin } arrived, { $missing } { $coin } is missing.
    Send the missing amount to { $address } to complete the order.
payment-failed = ❌ The payment for order #{ $order } ({ $title }) failed. Nothing was delivered. You can try again.
payment-expired = ⌛ The payment for order #{ $order } ({ $title }) expired. You can start a new purchase at any time.
payment-partial-expired = ⌛ Order #{ $order } ({ $title }) expired before the whole amount arrived. Nothing was delivered; an admin will refund the { $paid } { $coin } you sent.
admin-partial-then-paid = ⚠ Order #{ $order } ({ $title }), which expired partly paid, is being paid after all: it settles and delivers as usual. Do not refund what arrived before; if you already did, settle the difference with the buyer.
admin-partial-expired = 💸 Order #{ $order } ({ $title }) expired partly paid: { $paid } { $coin } arrived and nothing was delivered. Refund the buyer from the NOWPayments dashboard; its item is back on sale.
payment-refunded = ↩ The payment for order #{ $order } ({ $title }) was refunded.

## The payment message, once its order is closed (its address no longer takes payments)
payment-closed-paid = ✅ Order #{ $order }: { $title }
    Payment received. Do not send anything more to this address.
payment-closed-expired = ⌛ Order #{ $order }: { $title }
    Expired: this address no longer takes payments. Start a new purchase at any time.
payment-closed-failed = ❌ Order #{ $order }: { $title }
    The payment failed: this address no longer takes payments.
payment-closed-refunded = ↩ Order #{ $order }: { $title }
    Refunded: this address no longer takes payments.
payment-closed-cancelled = ✖ Order cancelled: #{ $order } { $title }
    Do not send anything to this address. If you already sent money, it will still be credited.
admin-payment-mismatch = 🚨 IPN for order #{ $order } (payment { $payment }) does not match it: { $reason }. Nothing was delivered.

## Purchases
purchases-empty = You have no purchases yet. Use /browse to find something.
purchases-header = Your purchases, page { $page } (tap one to receive it again):
purchase-resend = #{ $order } { $title }
redownload-caption = { $title }

## Command menu (shown by Telegram next to the input field)
command-start = Main menu
command-browse = Browse products
command-purchases = Your purchases
command-sell = Sell a file, licence keys or a text
command-language = Change language
command-help = Help
command-cancel = Stop what you are doing

## Wallet and earnings
wallet-none = You have no payout wallet yet. Send your { $coin } address: your earnings are paid to it every week. (/cancel to stop)
wallet-current = Your payout wallet ({ $coin }): { $address }
    Send a new address to change it, or /cancel to keep it.
wallet-not-an-address = that is not an address
wallet-invalid = This address was refused: { $reason }. Check it and send it again.
wallet-confirm-change = Replace your payout wallet?
    Current: { $old }
    New: { $new }
wallet-confirm-pending = Press Replace or Keep under the question above.
button-wallet-replace = ✅ Replace
button-wallet-keep = ✖ Keep the current one
wallet-saved = ✅ Payout wallet saved ({ $coin }): { $address }
wallet-kept = Your payout wallet was not changed.
earnings-summary = 💰 Your earnings
    Pending (paid, not yet confirmed): { USD($pending) }
    Available: { USD($available) }{ $held ->
        [none] {""}
       *[other] {""}
        Held for the refund window: { USD($held) }, until { $until }
    }{ $frozen ->
        [none] {""}
       *[other] {""}
        Frozen by a dispute: { USD($frozen) }
    }
    Paid out: { USD($paid) }
earnings-no-entries = No entries yet: your first sale will show here.
earnings-recent = Latest entries:
earnings-entry = { $date } · { $kind } · { USD($amount) } · order #{ $order }
earnings-entry-no-order = { $date } · { $kind } · { USD($amount) }
ledger-sale = sale
ledger-payout = payout
ledger-payout_reversal = failed payout returned
ledger-refund = refund
command-wallet = Your payout wallet
command-earnings = Your earnings

## Catalog
menu-search = 🔎 Search
browse-categories = Categories:
browse-all = All products
browse-category = { $name } (page { $page }):
search-ask = What are you looking for? Send a few words.
search-results = Results for “{ $query }” (page { $page }):
search-none = Nothing matches. Try other words, or /browse.
inline-message = { $title }: { USD($price) }
    { $link }
inline-open = Open in the shop
command-search = Search products
command-myproducts = Your products

## Admin: categories
admin-only = Sorry, this command is for the marketplace's admins.
categories-none = No category yet. Add one with /category_add Name.
categories-list = Categories (id · name):
category-usage-add = Usage: /category_add Name (at most { $max } characters).
category-added = Category “{ $name }” added (id { $id }).
category-exists = A category named “{ $name }” exists already.
category-usage-rename = Usage: /category_rename id New name (at most { $max } characters).
category-renamed = Category renamed to “{ $name }”.
category-not-renamed = No such category, or that name is taken.
category-usage-delete = Usage: /category_delete id
category-deleted = Category deleted; its products stay, without a category.
category-unknown = No such category.

## My products
myproducts-empty = You have no products yet. Send /sell to publish one.
myproducts-header = Your products (tap one to manage it):
myproducts-item = { $title } · { USD($price) } · { $sales } sold{ $status }
product-status-active = {""}
product-status-paused = {" "}(paused)
product-status-deleted = {" "}(deleted)
product-state-active = on sale
product-state-paused = paused
product-state-deleted = deleted

not-your-product = This product is not yours or no longer exists.
manage-stock = Stock: { $available } left of { $total }
manage-card = <b>{ $title }</b>
    Price: { USD($price) }
    Kind: { $kind }
    Status: { $status }
    Link: { $link }
    { $stock }
kind-name-file = file
kind-name-items = unique items
kind-name-text = text
button-pause = ⏸ Pause
button-resume = ▶ Resume
button-edit-price = 💲 Price
button-edit-title = ✏ Title
button-edit-description = ✏ Description
button-edit-file = 📄 Replace the file
button-restock = ➕ Add items
button-edit-text = 📝 Change the text
button-edit-cover = 🖼 Cover photo
cover-ask = Send the new cover photo (as a photo).
button-remove-cover = 🗑 Remove the cover
cover-removed = ✅ The cover photo is removed.
cover-not-photo = Send the cover as a photo, not as a file.
button-delete = 🗑 Delete
button-back = ◀ Back
button-delete-confirm = 🗑 Yes, delete it
product-paused = Paused: the product is hidden and cannot be bought.
product-resumed = Resumed: the product is on sale again.
product-updated = ✅ Saved.
restock-ask = Send the new items, one per line (or a .txt file). Items the product already has are refused.
restocked = { $added ->
    [one] 1 item added
   *[other] { $added } items added
}; { $refused } refused as duplicates.
delete-confirm = Delete “{ $title }”? It leaves the shop; buyers keep access to what they bought.
product-deleted = Deleted. Buyers keep access to what they bought.

## Stock
stock-left = { $count } left
buy-button-sold-out = Sold out
sold-out = Sorry, this product is sold out.
seller-sold-out = 📦 “{ $title }” is sold out. Add items from /myproducts to sell it again.
paid-but-sold-out = ⚠ Your payment for order #{ $order } ({ $title }) arrived after the offer expired, and the product sold out in the meantime. An admin has been told and will refund you.
admin-paid-but-sold-out = 🚨 Order #{ $order } ({ $title }) was paid after its item was released and nothing is left. Nothing was delivered and the seller was not credited: refund the buyer with /refund { $order }, or the seller's next restock delivers it.

## Delivery of items, texts and links
delivery-item = ✅ Receipt, order #{ $order }
    { $title }
    Paid: { USD($total) } ({ $amount } { $coin })

    Your item:
    { $item }
delivery-text = ✅ Receipt, order #{ $order }
    { $title }
    Paid: { USD($total) } ({ $amount } { $coin })

    { $text }
redelivery-item = { $title }
    { $item }
redelivery-text = { $title }
    { $text }
button-link = 🔗 Link
download-link = { $title }: download it from this link (valid { $minutes } minutes):
    { $link }
download-link-unavailable = No download link is available for this purchase right now.

## Payouts
payout-on-its-way = 💸 Your payout of { $amount } { $currency } is on its way to { $address }.
payout-released = ↩ Your payout of { $amount } { $currency } was not sent this time. The amount is back in your available balance and will go out with the next payout.
payout-finished = ✅ Payout complete: { $amount } { $currency } sent to { $address }.
    Transaction: { $hash }
payout-failed = ⚠️ Your payout of { $amount } { $currency } to { $address } failed. The amount is back in your available balance and will go out with the next payout. Check your wallet address with /wallet.
admin-payout-failed = ⚠️ Payout #{ $id } to seller { $seller } ({ $amount } { $currency }, { $address }) failed: { $error }. The amount is back in the seller's balance.
admin-payout-summary = 💸 Payout run (batch #{ $batch }, { $started_by }): { $count } payouts, { $total } { $currency } in total, { $failures } failed.
admin-payout-released = ⚠️ Payout batch #{ $batch } was not paid: { $reason }. { $count } amounts ({ $total } in total) went back to the sellers' balances.
admin-payout-nothing = Payout run: no seller with a wallet has { $minimum } or more available. Nothing was sent.
admin-payout-short = ⚠️ Payout run stopped: the custody balance holds { $available } { $currency } but { $needed } are needed ({ $missing } missing). Nothing was created; top up the custody balance and run /payout_now.
admin-payout-busy = Payout run skipped: another run is working on the open batch. If that run has stopped, the batch can be resumed from { $until } (/payout_now).
admin-payout-error = ⚠️ Payout run could not finish: { $error }. Nothing is paid twice: the next run (or /payout_now) resumes where this one stopped.
payout-now-disabled = Payouts are off: set NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD and NOWPAYMENTS_2FA_SECRET.
payout-now-nothing = Nobody to pay now: no seller with a wallet has { $minimum } or more available.
payout-now-confirm = Pay { $count ->
    [one] 1 seller
   *[other] { $count } sellers
} { $total } { $currency } in total now?
button-payout-go = 💸 Pay now
button-payout-drop = ✖ Not now
payout-now-started = Payout run started. Every admin gets the summary when it ends.
payout-now-dropped = No payout was made.
payout-now-changed = Balances changed since this question; here is the new plan.
admin-conversion-report = 🔁 Custody conversions: { $finished } finished, { $rejected } rejected, { $pending } still pending, { $errors } errors.
    { $lines }

## Moderation
account-banned = Your account is suspended: you cannot buy or sell here. Contact the marketplace's admins if you think this is a mistake.
ban-usage = Usage: /ban user_id (a banned user can neither buy nor sell; their products leave the shop).
unban-usage = Usage: /unban user_id
ban-admin = Admins cannot be banned.
user-banned = User { $user } is banned: they can neither buy nor sell, and their products are hidden.
user-unbanned = User { $user } is no longer banned; their products are back in the shop, and the next payout run pays what was held.
admin-payout-held = ⏸ Payout held: seller { $user } is banned, so their { USD($amount) } was not paid. /unban { $user } releases it to the next payout run.
user-unknown = No user { $user } has ever used this bot.
hide-usage = Usage: /hide product_id
unhide-usage = Usage: /unhide product_id
product-hidden = Product #{ $product } is hidden from the shop.
product-unhidden = Product #{ $product } is back in the shop (if its seller has it on sale).
product-unknown = No product #{ $product }.
refund-usage = Usage: /refund order_id (for a finished order).
order-refunded = Order #{ $order } is marked refunded: { USD($amount) } taken back from seller { $seller }, and the buyer and the seller are told. Send the crypto back to the buyer from the NOWPayments dashboard: souk does not move it.
refund-not-finished = Order #{ $order } is { $status }: only a finished order can be refunded (or one paid after it sold out).
order-unknown = No order #{ $order }.

## Admin views
stats-usage = Usage: /stats day, /stats week (the default) or /stats month.
stats-period-day = last 24 hours
stats-period-week = last 7 days
stats-period-month = last 30 days
stats-summary = 📊 Sales, { $period }
    Sales: { $sales } · gross volume { USD($gross) } · average sale { USD($average) }
    Commission earned: { USD($commission) }
    NOWPayments fees: { USD($fees) } (unknown for { $unknown } sales)
stats-none = No sales in this period.
stats-top-header = Top sellers:
stats-top-line = { $rank }. { $name } (#{ $id }): { $sales } sales, { USD($amount) }
stats-coins-header = By coin:
stats-coin-line = { $coin }: { $sales } sales, { USD($amount) }
stats-chart-title = Sales, { $period } (USD)
payments-usage = Usage: /payments [page] [status], e.g. /payments 2 finished
payments-header = 💳 Payments ({ $filter }), page { $page } of { $pages }, { $total } in all:
payments-all = all
payments-none = No payments.
payments-line = #{ $order } · { $status } · { USD($total) } · { $coin } · { $date }
payment-detail = 💳 Order #{ $order }: { $status }
    NOWPayments payment: { $payment }
    Product: { $title }
    Total: { USD($total) }, paid in { $coin }: { $amount } asked, { $paid } received
    Buyer: { $buyer } · seller: { $seller }
    Created { $created } · updated { $updated }
payment-history = IPN history:
payment-history-none = (none)
payment-history-earlier = { $count ->
    [one] … 1 earlier report
   *[other] … { $count } earlier reports
}
payment-history-line = { $date } · { $status } → { $outcome } ({ $source })
payouts-header = 💸 Latest payout runs:
payouts-none = No payout run yet.
payouts-batch-line = Batch #{ $batch } · { $status } · { USD($total) } · { $started_by } · { $date }
payouts-withdrawals = Latest withdrawals:
payouts-line = #{ $id } · seller { $seller } · { USD($amount) } · { $status } · { $hash }
health-ok = ✅ ok
health-down = ❌ down
health-custody-off = payouts off
health-summary = 🩺 Health
    NOWPayments: { $provider }
    Database: { $database }
    Custody balance: { $custody }
    Messages waiting in the outbox: { $outbox }
    Jobs (latest run):
health-jobs-none = no job has run yet
health-job-line = { $job } · { $slot } · { $date } · { $outcome }
health-running = running

## Broadcasts
broadcast-ask = Send the message to broadcast to every user: a text (its formatting is kept), a photo or a document (/cancel to stop).
broadcast-not-text = Send a text (at most 4096 characters), a photo or a document, or /cancel.
broadcast-confirm = ⬆ This message goes to { $count ->
    [one] 1 user
   *[other] { $count } users
}. Send it?
button-broadcast-go = 📣 Send to everyone
button-broadcast-drop = ✖ Cancel
broadcast-dropped = Broadcast cancelled: nothing was sent.
broadcast-not-draft = This broadcast was already sent or cancelled.
broadcast-progress = 📣 Broadcast #{ $id }: { $sent } sent, { $failed } failed, { $blocked } blocked the bot, { $remaining } remaining…
broadcast-progress-done = 📣 Broadcast #{ $id } finished: { $sent } sent, { $failed } failed, { $blocked } blocked the bot.
broadcast-done = ✅ Broadcast #{ $id } is done: { $sent } sent, { $failed } failed, { $blocked } had blocked the bot (they are skipped next time).

## Alerts
admin-job-failed = 🚨 The scheduled job { $job } ({ $slot }) failed: { $error }
admin-provider-down = 🚨 NOWPayments has not answered for { $minutes } minutes (checked at { $at }). New payments fail and IPNs may be late; souk catches up by itself when it is back.
admin-provider-up = ✅ NOWPayments answers again ({ $at }).

## Telegram Stars
button-stars = ⭐ Telegram Stars
stars-price-label = Order #{ $order }
stars-refused-unavailable = This product is no longer available.
stars-refused-paid = This order is already paid.
stars-refused-expired = This order has expired; open the product again to buy it.
stars-refused-price = The price has changed; open the product again for a new invoice.
admin-stars-paid-twice = 🚨 Order #{ $order } was paid again in Stars with an old invoice (charge { $charge }). Nothing was delivered twice, and that charge was refunded to the buyer.
admin-stars-unrecorded = 🚨 A Stars payment (charge { $charge }, { $payload }) could not be recorded: { $error }. souk settles it at its next Stars check once the database answers.
admin-stars-refund-failed = 🚨 Order #{ $order } was paid again in Stars with an old invoice (charge { $charge }), and Telegram would not refund that charge: { $error }. Nothing was delivered twice; souk tries the refund again at its next Stars check.

## Mobile money (NexPay)
button-wave = 🌊 Wave
button-orange-money = 🟠 Orange Money
button-share-phone = 📱 Share my phone number
button-open-checkout = Pay now
phone-ask = Which phone number pays? Press the button below to share yours, or type it in international format (for example +221 77 123 45 67).
phone-invalid = That is not a phone number in international format. Type it with the country code, for example +221 77 123 45 67, or press the button to share yours.
phone-received = Paying from { $phone }.
mobile-payment-caption = Order #{ $order }: <b>{ $title }</b>
    Price { USD($price) } + platform fee { USD($commission) } ({ PERCENT($percent) }) = { USD($total) }

    Pay { GROUPED($amount) } { $currency } with { $provider }: press "Pay now" or scan the code.

    { $expires }
admin-payment-closed = ⚠️ Order #{ $order }: the payment provider closed payment { $payment } before it expired without telling souk how it ended: it was paid or it failed. Check the provider's dashboard. If the money is there, /markpaid { $order } delivers the order; otherwise it expires by itself.
order-refunded-stars = Order #{ $order } is refunded: Telegram gave the Stars back to the buyer, { USD($amount) } was taken back from seller { $seller }, and the buyer and the seller are told.
refund-stars-failed = Telegram did not refund the Stars of order #{ $order }: { $error }. Nothing was recorded.

## Payment support
command-paysupport = Help with a payment
paysupport-intro = Trouble with a payment or a delivery? Pick the order below and an admin will contact you here. For a Stars payment, an admin can refund it. Telegram's own support cannot help with purchases made in this bot.
paysupport-order-button = #{ $order } · { $title }
paysupport-no-orders = You have no orders yet. Questions about a payment concern an order: once you have one, /paysupport lets you ask about it.
paysupport-sent = Your request about order #{ $order } was sent to the admins; they will answer you here. Write your question now (one message) so they know what happened.
admin-paysupport = 🆘 Payment support: order #{ $order } ({ STATUS($status) }, { USD($total) }, paid with { $currency }, payment { $payment }) from user { $buyer } { $username }. Reply through the bot with the buttons below; Refund refunds a finished order, Mark paid delivers one paid but never reported.
stats-rails-header = By way of paying:
stats-rail-line = { $rail }: { $sales } sales, { USD($amount) }
rail-nowpayments = Crypto (NOWPayments)
rail-stars = ⭐ Telegram Stars
rail-nexpay = Mobile money (NexPay)

## Marking an order paid by hand
markpaid-usage = Usage: /markpaid order_id, for an order whose payment you have seen in the payment provider's dashboard but souk never heard of.
markpaid-confirm = Mark order #{ $order } paid?
    Product: { $title }
    Buyer: { $buyer }
    Total: { USD($total) } ({ $amount } { $currency }, payment { $payment })
    Status now: { $status }

    Only after checking the payment in the provider's dashboard: the buyer receives the goods and the seller is credited.
markpaid-button = ✅ Yes, it is paid: deliver
markpaid-done = Order #{ $order } is marked paid: the buyer receives the goods and seller { $seller } is credited { USD($amount) }.
markpaid-stars = Order #{ $order } is paid in Stars: Telegram settles those itself, so it cannot be marked paid by hand.
markpaid-never-billed = Order #{ $order } never reached a payment provider: there is nothing the buyer could have paid.
markpaid-settled = Order #{ $order } is { $status }: there is nothing to mark paid.

## Order statuses as admin views show them (English keeps the names /payments filters by)
order-status-created = created
order-status-waiting = waiting
order-status-confirming = confirming
order-status-confirmed = confirmed
order-status-sending = sending
order-status-partially_paid = partially_paid
order-status-finished = finished
order-status-failed = failed
order-status-expired = expired
order-status-refunded = refunded
order-status-cancelled = cancelled
order-status-paid_sold_out = paid_sold_out

## Command menus, /help and the bot's profile
help-header = Commands:
help-admin-header = Admin commands:
command-terms = Terms of sale
command-stats = Sales figures: /stats day|week|month
command-payments = Payments: /payments [page] [status]
command-payouts = Latest payout batches
command-health = Health of the rails and the outbox
command-broadcast = Message every user
command-refund = Record or make a refund: /refund order
command-markpaid = Deliver an order paid in the provider's dashboard
command-ban = Ban a user: /ban user
command-unban = Lift a ban: /unban user
command-hide = Hide a product: /hide product
command-unhide = Show a hidden product again
command-payout_now = Pay sellers now
command-categories = List categories
command-category_add = Add a category: /category_add Name
command-category_rename = Rename a category: /category_rename id Name
command-category_delete = Delete a category: /category_delete id
terms-default = Terms of sale
    • Digital goods are delivered in this chat as soon as the payment settles.
    • Prices are in US dollars; a platform fee is shown before you pay.
    • If something you bought does not arrive or does not work, use /paysupport: the admins answer, and refund when the goods cannot be delivered.
    • Sellers are responsible for what they sell; the marketplace may hide products and ban users who break the rules.
bot-description = A marketplace for digital goods: files, licence keys and texts, paid in crypto, Telegram Stars or mobile money, delivered here the moment the payment settles.
bot-short-description = Digital goods, delivered the moment you pay.

## /paysupport: the conversation between a buyer and the admins
admin-support-message = 💬 About order #{ $order }, user { $buyer } writes:
    { $text }
support-ask = Write your message about order #{ $order } (one message); the admins will answer here.
support-question-sent = Sent to the admins. Their answer about order #{ $order } will arrive here.
support-text-only = Please write your message as text.
support-answer-ask = Write your answer to user { $buyer } about order #{ $order } (one message); it is sent to them as support's answer.
support-answer = 💬 Support's answer about order #{ $order }:
    { $text }
support-answer-sent = Your answer about order #{ $order } was sent to the buyer.
button-support-reply = ✍ Reply
button-open-order = 🔎 Open order
button-refund = ↩ Refund
button-mark-paid = ✅ Mark paid
refund-confirm = Refund order #{ $order } ({ $status }, { USD($total) }, paid with { $currency })? For crypto and mobile money, make the refund in the provider's dashboard first: this records it and takes the price back from the seller. A Stars order's Stars go back at once.

## The product card's lines
card-receives-file = You receive a file: { $name }{ $size ->
        [none] {""}
       *[other] {" "}({ BYTES($size) })
    }
card-receives-items = You receive a licence key (one per buyer, never sold twice)
card-receives-text = You receive a text, here in the chat
card-stars = {" "}(or ⭐ { $stars } Stars)
way-nowpayments = crypto
way-stars = Telegram Stars
way-nexpay = mobile money (Wave, Orange Money)
ways-or = or

## Sellers: reminders
sell-no-wallet = 💼 You have no payout wallet yet: your sales are kept for you, and paid once you set one with /wallet.
items-duplicates-skipped = { $count ->
    [one] 1 duplicate skipped: each item is sold once.
   *[other] { $count } duplicates skipped: each item is sold once.
}

## Disputes
button-problem = ⚠ Problem
button-dispute-reply = 💬 Reply
button-dispute-refund = ↩ Refund in full
button-dispute-part = ➗ Refund part
button-dispute-close = ✅ Close for the seller
dispute-ask = What is wrong with order #{ $order }? Describe the problem in one message: the seller and the admins will read it.
dispute-opened = Dispute #{ $dispute } about order #{ $order } is open. The seller and the admins are told, and their answers come here. The seller is not paid for this order until it is settled.
dispute-not-finished = Order #{ $order } is not delivered yet: only a delivered order can be disputed. Use /paysupport for a payment problem.
dispute-window-closed = The refund window of order #{ $order } has passed. Use /paysupport to write to the admins.
dispute-already-opened = Order #{ $order } already has dispute #{ $dispute }: answer in it with its Reply button.
dispute-not-yours = This dispute is not yours.
dispute-already-settled = Dispute #{ $dispute } is settled already.
dispute-opened-seller = ⚠ Dispute #{ $dispute } about your sale “{ $title }” (order #{ $order }, { USD($total) }). The buyer writes:
    { $text }
    This sale's credit is frozen until an admin settles the dispute. Answer with the button below.
admin-dispute-opened = ⚠ Dispute #{ $dispute }: order #{ $order } (“{ $title }”, { USD($total) }), buyer { $buyer }, seller { $seller }. The buyer writes:
    { $text }
dispute-message = 💬 Dispute #{ $dispute } (order #{ $order }), { $role ->
        [buyer] the buyer writes
        [seller] the seller writes
       *[admin] the admins write
    }:
    { $text }
dispute-reply-ask = Write your message for dispute #{ $dispute }: it goes to the other parties.
dispute-message-sent = Sent to the other parties of dispute #{ $dispute }.
dispute-part-ask = How much of order #{ $order } ({ USD($price) }) goes back to the buyer? Type an amount in dollars below the price, for example 12.50. Make the refund in the provider's dashboard: this records it and takes it from the seller's credit.
dispute-part-invalid = Type an amount in dollars, more than $0.00 and less than { USD($price) }, for example 12.50.
dispute-stars-in-full = Telegram gives Stars back only in full: use Refund in full for this order.
dispute-settled = Dispute #{ $dispute } is settled; the buyer and the seller are told.
dispute-part-buyer = ✅ Dispute #{ $dispute } (order #{ $order }) is settled: { USD($amount) } is refunded to you, and you keep what you bought.
dispute-part-seller = Dispute #{ $dispute } (order #{ $order }) is settled: { USD($amount) } goes back to the buyer and is taken from this sale's credit.
dispute-closed-buyer = Dispute #{ $dispute } (order #{ $order }) is closed by the admins without a refund.
dispute-closed-seller = ✅ Dispute #{ $dispute } (order #{ $order }) is closed in your favour: this sale's credit is no longer frozen.
dispute-full-buyer = ✅ Dispute #{ $dispute } (order #{ $order }) is settled: the order is refunded in full.
dispute-full-seller = Dispute #{ $dispute } (order #{ $order }) is settled: the order is refunded in full, and its price is taken back.

## Restock alerts
button-notify-me = 🔔 Notify me when it is back
notify-subscribed = You will be told once when “{ $title }” is back in stock.
notify-in-stock = “{ $title }” is in stock: you can buy it now.
restock-alert = 🔔 “{ $title }” is back in stock.
button-view-product = 🛒 See it

## Reviews
review-invite = How was “{ $title }”? Rate it for other buyers:
button-rate = { $stars }★
review-rated = Thank you: { $stars }. Add a comment for other buyers in one message, or carry on with anything else.
review-changed = Your rating is now { $stars }. Send a new comment in one message, or carry on with anything else.
review-saved = ✅ Your review is saved. You can change it any time with the stars above.
review-not-a-buyer = Only the buyer of a delivered order can review it.
seller-new-review = ⭐ New review on “{ $title }” (order #{ $order }): { $stars }. Its comment shows with the product's reviews; you may answer it once.
button-review-answer = 💬 Answer
review-answer-ask = Write your answer to this review (once; it shows under it).
review-answer-saved = ✅ Your answer is saved; the buyer is told.
review-answered-already = This review has an answer already.
review-not-yours = This review is not about one of your products.
review-answered = 💬 The seller of “{ $title }” answered your review: { $text }
card-rating = ⭐ { $average } ({ $count ->
    [one] 1 review
   *[other] { $count } reviews
})
button-reviews = 💬 Reviews ({ $count })
button-seller = 👤 Seller
reviews-header = <b>Reviews of { $title }</b>: ⭐ { $average } ({ $count ->
    [one] 1 review
   *[other] { $count } reviews
})
reviews-line = { $stars } { $comment } <i>#{ $id }</i>
reviews-answer = ↳ <i>Seller: { $text }</i>
seller-profile = 👤 <b>{ $seller }</b>
    ⭐ { $average } ({ $count ->
        [one] 1 review
       *[other] { $count } reviews
    }) · { $sales ->
        [one] 1 sale
       *[other] { $sales } sales
    }
    { $products ->
        [one] 1 product in the shop:
       *[other] { $products } products in the shop:
    }
seller-unknown = This seller has no product in the shop.
review-hidden = Review #{ $id } is hidden.
review-unknown = There is no review #{ $id }.
hide-review-usage = Usage: /hide_review <review id> (the number after # in a product's reviews)
command-hide_review = Hide a review: /hide_review <id>

## Coupons
button-have-a-code = 🏷 Have a code?
coupon-line = 🏷 Code <b>{ $code }</b>: { USD($discount) } off, included.
coupon-ask = Type your code.
coupon-applied = 🏷 Code { $code } applied.
coupon-unknown = There is no such code. Check its spelling, or carry on without one.
coupon-expired = This code has expired.
coupon-used-up = This code has been used as many times as it can be. The price without it is shown when you choose again.
coupon-not-for-this = This code is not for this product.
coupon-already-used = You have used this code already.
coupon-created = 🏷 Code created:
coupon-item = { $code }: { $kind ->
        [percent] { PERCENT($value) }
       *[fixed] { USD($value) }
    } off, { $product ->
        [all] every product
       *[other] product #{ $product }
    }{ $platform ->
        [yes] {" "}(platform's, out of the commission)
       *[no] {""}
    }, used { $uses }{ $max ->
        [none] {""}
       *[other] /{ $max }
    }{ $until ->
        [none] {""}
       *[other] , until { $until }
    }
coupon-usage = Usage: /coupon CODE DISCOUNT [product=<id>] [uses=<n>] [days=<n>], for example /coupon SPRING 10% uses=50 days=30 (DISCOUNT is a percentage like 10% or an amount like 5.00). Admins add "platform" for a code on every product, paid out of the commission.
coupon-bad-code = A code is 3 to 32 letters, digits, - or _.
coupon-bad-discount = The discount is a percentage such as 10% or an amount in dollars such as 5.00.
coupon-bad-number = uses= and days= take a whole number from 1.
coupon-code-taken = This code exists already: choose another.
coupons-none = You have no codes yet. Make one with /coupon.
coupons-header = 🏷 Your codes:
command-coupon = Make a discount code
command-coupons = Your discount codes

## Referrals
invite = 🤝 Invite people with your link:
    { $link }
    For { $days } days after someone arrives through it, you earn { PERCENT($share) } of the platform's fee on each of their purchases, paid with the weekly payouts once the refund window has passed (set a wallet with /wallet).
    Signups: { $signups } · Purchases: { $purchases } · Earned: { USD($earned) }
referral-earned = 🤝 A buyer you invited bought “{ $title }” (order #{ $order }): { USD($amount) } earned. { $clears ->
        [now] Available balance: { USD($balance) }.
       *[other] It is held until { $clears } (the refund window), then paid with the weekly payouts.
    }
referral-reversed = ↩ Order #{ $order } (“{ $title }”) of a buyer you invited was refunded: the { USD($amount) } it earned you is taken back.
command-invite = Your invitation link and what it earned
ledger-referral = referral
ledger-referral_reversal = referral refunded

## Exports
export-caption = 📄 Orders, ledger entries and payouts: { $rows ->
    [one] 1 row
   *[other] { $rows } rows
}, dollars and UTC times.
export-usage = Usage: /export for your own orders, entries and payouts. Admins: /export [from] [to] with UTC days such as /export 2026-11-01 2026-11-30 (the last 30 days by default).
command-export = Your orders, earnings and payouts as a CSV file

## Reconciliation
reconcile-usage = Usage: /reconcile [from] [to] with UTC days such as /reconcile 2026-11-01 2026-11-30 (the last 7 days by default).
reconcile-needs-login = Reconciliation reads NOWPayments' payment list, which needs the account's login: set NOWPAYMENTS_EMAIL, NOWPAYMENTS_PASSWORD and NOWPAYMENTS_2FA_SECRET.
reconcile-failed = NOWPayments could not be read just now: try /reconcile again in a moment.
reconcile-header = 🧾 Reconciliation with NOWPayments: { $payments } payments and { $payouts } payouts checked, { $differences ->
    [0] no difference.
    [one] 1 difference:
   *[other] { $differences } differences:
}
reconcile-clean = Every cent is accounted for.
reconcile-unsettled = • { $rail ->
        [stars] Telegram Stars charge { $payment } ({ $price } Stars)
       *[other] Payment { $payment } ({ $status }, ${ $price })
    } holds money souk never settled (order { $order }).
reconcile-unknown = • Order #{ $order } was settled by souk, but { $rail ->
        [stars] Telegram does not list its Stars charge
       *[other] NOWPayments does not list its payment
    } { $payment }.
reconcile-stars = • Order #{ $order } asked { $souk } Stars, but Telegram's charge { $charge } is for { $telegram } Stars.
reconcile-amount = • Order #{ $order }: souk's total is { USD($souk) }, NOWPayments' price for payment { $payment } is ${ $provider }.
reconcile-payout = • Payout #{ $payout } (withdrawal { $withdrawal }): souk has { $souk }, NOWPayments has { $provider }.
admin-books-summary = 🧾 Before the payout run, reconciliation with NOWPayments checked { $payments } payments and { $payouts } payouts: { $differences ->
    [0] no difference.
    [one] 1 difference. See /reconcile.
   *[other] { $differences } differences. See /reconcile.
}
command-reconcile = Match souk's books against NOWPayments: /reconcile [from] [to]
button-hide-review = 🙈 Hide #{ $id }
reviews-header-none = <b>Reviews of { $title }</b>: none to show.

## Access to channels and groups
kind-access = 🔐 Access to a channel or group
kind-name-access = access to a chat
sell-access-pick = Pick the channel or group buyers join, with the buttons below. Telegram asks you to add the bot as an administrator that can invite users and ban members.
button-pick-channel = 📢 Pick a channel
button-pick-group = 👥 Pick a group
sell-access-not-admin = The bot is not an administrator of that chat yet. Add it as an administrator that can invite users and ban members, then pick the chat again.
sell-access-no-invite = The bot cannot invite users there. Give it the right to invite users, then pick the chat again.
sell-access-no-ban = The bot cannot ban members there (it needs that right to remove an access that ends). Give it that right, then pick the chat again.
sell-access-ok = ✅ The bot administers “{ $chat }” with the rights it needs.
card-receives-access = { $days ->
        [0] You receive access to “{ $chat }” for life: a join link only you can use
       *[other] Each payment gives { $days } days of access to “{ $chat }” (paid before the end, it extends it): a join link only you can use
    }
delivers-access = { $days ->
        [0] access to “{ $chat }”, for life
       *[other] access to “{ $chat }”, { $days } days per payment (the price is per period)
    }
delivery-access = ✅ Receipt, order #{ $order }
    { $title }
    Paid: { USD($total) } ({ $amount } { $coin })

    { $until ->
        [none] Your join link (it works for you only: Telegram asks, and souk lets you in):
       *[other] Your access runs until { $until }. Your join link (it works for you only: Telegram asks, and souk lets you in):
    }
    { $link }
button-join = 🔐 Join
redelivery-access = { $title }: a fresh join link, for you only:
    { $link }
access-ended-refund = Order #{ $order } (“{ $title }”) was refunded, so its access has ended: you have left the chat, and your join link no longer works.
access-rights-lost = ⚠ The bot can no longer invite buyers into “{ $chat }”: it was removed or lost its administrator rights. “{ $title }” is paused, and paid buyers get their link once the bot is an administrator again that can invite users and ban members; then resume it in /myproducts.
admin-access-rights-lost = ⚠ Product #{ $product } (“{ $title }”): the bot can no longer invite buyers into “{ $chat }” ({ $chat_id }). The product is paused; its paid deliveries wait for the rights to come back.
sell-access-term = How long does one payment give access? The price you set is for one period.
term-lifetime = ♾ For life
term-days = { $days } days
delivery-access-renewed = ✅ Receipt, order #{ $order }
    { $title }
    Paid: { USD($total) } ({ $amount } { $coin })

    Your access is renewed: it now runs until { $until }.
button-renew = 🔄 Renew
access-reminder = ⏳ Your access to “{ $title }” ends { $days ->
        [one] tomorrow
       *[other] in { $days } days
    }, on { $until }. Renew it to stay: a renewal paid now extends it from that day.
access-expired = Your access to “{ $title }” has ended, so you have left the chat. Renew it any time to come back: you get a fresh join link.
stars-subscribe = ⭐ { $title }: { $stars } Stars every 30 days. Telegram renews it by itself; cancel it any time in Telegram.
button-stars-subscribe = ⭐ Subscribe: { $stars } Stars / 30 days
access-until = until { $date }
access-for-life = for life
manage-members = 👥 { $members } { $members ->
        [one] member
       *[other] members
    } with access · last 30 days: { USD($income) }
button-members = 👥 Members
members-header = <b>Members of { $title }</b>: { $members } with access
members-line = • { $name }, { $until }{ $state ->
        [in] {""}
       *[out] , not in the chat now
    }
members-more = … and { $more } more
button-end-member = ✖ End access: { $name }
button-end-member-confirm = ✖ End the access
end-member-confirm = End this member's access to <b>{ $title }</b>? They leave the chat now, and get no refund.
member-ended = Done: that access has ended, and the member leaves the chat in a moment.
access-ended-by-seller = Your access to “{ $title }” was ended by its seller, so you have left the chat. If you think this is a mistake, write to us with /paysupport.
purchases-access = 🔐 <b>{ $title }</b>: access { $until }
button-renew-title = 🔄 Renew { $title }
access-over = Your access to “{ $title }” has ended: renew it from its card to get a fresh join link.

## The Mini App storefront
app-search = Search the shop
app-categories = Categories
app-newest = New in the shop
app-results = Found
app-shop = 🛍 Shop
app-purchases = 📦 My purchases
app-no-results = Nothing matches yet. Try other words.
app-no-purchases = No purchases yet: what you buy shows here.
app-copy = 📋 Copy
app-copied = ✅ Copied
app-waiting = Waiting for your payment… This page updates by itself, and the bot tells you in the chat too.
app-delivered = ✅ Paid: your purchase is in your chat with the bot.
app-failed = The payment did not go through. Nothing was taken: you may try again.
app-open-checkout = Open the payment page
app-error = Something went wrong. Please try again in a moment.
app-money = { USD($amount) }
app-stars = Pay { $stars } ⭐
app-rating = ★ { $rating } ({ $count })
app-send-exactly = Send exactly { $amount } { $coin } to this address:
menu-open-shop = 🛍 Open the shop
menu-button-shop = Shop
button-open-in-app = 🛍 Open in the shop app
app-resend = 📨 Send again to the chat
app-resent = ✅ Sent: look in your chat with the bot
app-best-rated = Best rated
app-download = ⬇ Download
app-phone = Your mobile money number, in international format (with the country code):
app-phone-go = Continue
