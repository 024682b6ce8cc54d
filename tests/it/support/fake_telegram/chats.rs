//! Channels and groups, as Telegram answers for them: chats the bot may administer (with its
//! rights to invite users and ban members), members and their status, invite links (join
//! requests, or a member limit and an expiry), join requests and `chat_member` updates, bans;
//! and Stars subscription invoice links with their renewals. Errors as Telegram words them.

use super::*;

#[derive(Default)]
pub(super) struct ChatsState {
    chats: HashMap<i64, FakeChat>,
    /// Invite links the bot made: `ChatInviteLink` objects, with the chat they open.
    links: Vec<(i64, Value)>,
    /// Join requests not answered yet: (chat, user) → the invite link they used.
    pending: HashMap<(i64, i64), Value>,
    /// Stars subscriptions: charge id → (user, cancelled).
    subscriptions: HashMap<String, (i64, bool)>,
    /// `createInvoiceLink` requests, as sent.
    invoice_links: Vec<Map<String, Value>>,
    /// `chat_member` updates owed (a member's status changed), queued after the answer.
    pub(super) member_updates: Vec<Value>,
}

impl ChatsState {
    /// Sets a user's status in a chat; a change owes a `chat_member` update, made by `by`
    /// (through `invite_link` for a join).
    fn set_status(
        &mut self,
        chat_id: i64,
        user: i64,
        new: &str,
        by: Value,
        invite_link: Option<Value>,
    ) {
        let chat = self.chats.get_mut(&chat_id).expect("a known chat");
        let old = chat
            .members
            .insert(user, new.to_owned())
            .unwrap_or_else(|| "left".into());
        if old == new {
            return;
        }
        let member = |status: &str| {
            let mut m = json!({
                "status": status,
                "user": { "id": user, "is_bot": false, "first_name": format!("User {user}") },
            });
            if status == "kicked" {
                m["until_date"] = json!(0);
            }
            m
        };
        let mut update = json!({
            "chat": chat.json(chat_id), "from": by, "date": now_unix(),
            "old_chat_member": member(&old), "new_chat_member": member(new),
        });
        if let Some(link) = invite_link {
            update["invite_link"] = link;
            update["via_join_request"] = json!(true);
        }
        self.member_updates.push(update);
    }
}

struct FakeChat {
    kind: &'static str,
    title: String,
    /// user id → status (`creator`, `administrator`, `member`, `left`, `kicked`).
    members: HashMap<i64, String>,
    /// The bot's rights there (can invite users, can restrict members); `None`: not a member.
    bot_rights: Option<(bool, bool)>,
}

impl FakeChat {
    fn json(&self, id: i64) -> Value {
        json!({ "id": id, "type": self.kind, "title": self.title })
    }
}

/// The methods this module answers.
pub(super) const METHODS: [&str; 10] = [
    "getchat",
    "getchatmember",
    "createchatinvitelink",
    "revokechatinvitelink",
    "approvechatjoinrequest",
    "declinechatjoinrequest",
    "banchatmember",
    "unbanchatmember",
    "createinvoicelink",
    "edituserstarsubscription",
];

fn number(p: &Map<String, Value>, key: &str) -> Option<i64> {
    p.get(key).and_then(as_i64)
}

fn flag(p: &Map<String, Value>, key: &str) -> bool {
    p.get(key)
        .is_some_and(|v| v.as_bool().unwrap_or_else(|| v.as_str() == Some("true")))
}

impl TgState {
    pub(super) fn chats_answer(
        &mut self,
        method: &str,
        p: &Map<String, Value>,
    ) -> Result<Value, ApiError> {
        if method == "createinvoicelink" {
            return self.invoice_link(p);
        }
        if method == "edituserstarsubscription" {
            let charge = p
                .get("telegram_payment_charge_id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let user = number(p, "user_id").unwrap_or_default();
            return match self.group.subscriptions.get_mut(charge) {
                Some((owner, cancelled)) if *owner == user => {
                    *cancelled = flag(p, "is_canceled");
                    Ok(json!(true))
                }
                _ => Err(bad_request("SUBSCRIPTION_ID_INVALID")),
            };
        }
        let chat_id = number(p, "chat_id").ok_or_else(|| bad_request("chat_id is empty"))?;
        if method == "getchat" && !self.group.chats.contains_key(&chat_id) {
            // A private chat with a user the bot knows.
            return self.chat(&json!(chat_id));
        }
        let chat = self
            .group
            .chats
            .get_mut(&chat_id)
            .ok_or_else(|| bad_request("chat not found"))?;
        let Some((can_invite, can_restrict)) = chat.bot_rights else {
            return Err(ApiError {
                code: 403,
                description: "Forbidden: bot is not a member of the channel chat".into(),
            });
        };
        let user = number(p, "user_id");
        match method {
            "getchat" => {
                // A `ChatFullInfo`: the chat and what getChat always adds.
                let mut full = chat.json(chat_id);
                full["accent_color_id"] = json!(0);
                full["max_reaction_count"] = json!(11);
                full["accepted_gift_types"] = json!({
                    "unlimited_gifts": false, "limited_gifts": false,
                    "unique_gifts": false, "premium_subscription": false,
                });
                Ok(full)
            }
            "getchatmember" => {
                let user = user.ok_or_else(|| bad_request("user_id is empty"))?;
                if user == BOT_ID {
                    return Ok(json!({
                        "status": "administrator", "user": bot_user(),
                        "can_be_edited": false, "is_anonymous": false,
                        "can_manage_chat": true, "can_delete_messages": false,
                        "can_manage_video_chats": false, "can_restrict_members": can_restrict,
                        "can_promote_members": false, "can_change_info": false,
                        "can_invite_users": can_invite, "can_post_stories": false,
                        "can_edit_stories": false, "can_delete_stories": false,
                    }));
                }
                let status = chat
                    .members
                    .get(&user)
                    .cloned()
                    .unwrap_or_else(|| "left".into());
                let until = if status == "kicked" {
                    json!(0)
                } else {
                    Value::Null
                };
                let mut member = json!({
                    "status": status,
                    "user": { "id": user, "is_bot": false, "first_name": format!("User {user}") },
                });
                if status == "kicked" {
                    member["until_date"] = until;
                }
                if status == "creator" {
                    member["is_anonymous"] = json!(false);
                }
                Ok(member)
            }
            "createchatinvitelink" => {
                if !can_invite {
                    return Err(bad_request("not enough rights to manage chat invite link"));
                }
                let joins = flag(p, "creates_join_request");
                let limit = number(p, "member_limit");
                if joins && limit.is_some() {
                    return Err(bad_request(
                        "member limit can't be specified for links requiring administrator approval",
                    ));
                }
                if limit.is_some_and(|l| !(1..=99_999).contains(&l)) {
                    return Err(bad_request("member limit must be between 1 and 99999"));
                }
                let n = self.group.links.len() + 1;
                let mut link = json!({
                    "invite_link": format!("https://t.me/+fakeInvite{chat_id}x{n}"),
                    "creator": bot_user(), "creates_join_request": joins,
                    "is_primary": false, "is_revoked": false,
                });
                for key in ["name", "expire_date", "member_limit"] {
                    if let Some(v) = p.get(key) {
                        link[key] = if key == "name" {
                            v.clone()
                        } else {
                            json!(as_i64(v))
                        };
                    }
                }
                self.group.links.push((chat_id, link.clone()));
                Ok(link)
            }
            "revokechatinvitelink" => {
                let wanted = p
                    .get("invite_link")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let link = self
                    .group
                    .links
                    .iter_mut()
                    .find(|(c, l)| *c == chat_id && l["invite_link"] == wanted)
                    .ok_or_else(|| bad_request("INVITE_HASH_EXPIRED"))?;
                link.1["is_revoked"] = json!(true);
                Ok(link.1.clone())
            }
            "approvechatjoinrequest" | "declinechatjoinrequest" => {
                let user = user.ok_or_else(|| bad_request("user_id is empty"))?;
                if !can_invite {
                    return Err(bad_request("not enough rights"));
                }
                let Some(link) = self.group.pending.remove(&(chat_id, user)) else {
                    return Err(bad_request("HIDE_REQUESTER_MISSING"));
                };
                if method == "approvechatjoinrequest" {
                    self.group
                        .set_status(chat_id, user, "member", bot_user(), Some(link));
                }
                Ok(json!(true))
            }
            "banchatmember" | "unbanchatmember" => {
                let user = user.ok_or_else(|| bad_request("user_id is empty"))?;
                if !can_restrict {
                    return Err(bad_request(
                        "not enough rights to restrict/unrestrict chat member",
                    ));
                }
                let status = chat
                    .members
                    .get(&user)
                    .cloned()
                    .unwrap_or_else(|| "left".into());
                if status == "creator" {
                    return Err(bad_request("can't remove chat owner"));
                }
                if method == "banchatmember" {
                    self.group
                        .set_status(chat_id, user, "kicked", bot_user(), None);
                } else if status == "kicked" || !flag(p, "only_if_banned") {
                    // Unbanning a member who is in the chat removes them, unless only_if_banned.
                    self.group
                        .set_status(chat_id, user, "left", bot_user(), None);
                }
                Ok(json!(true))
            }
            _ => Ok(json!(true)),
        }
    }

    /// `createInvoiceLink`: a Stars subscription bills every 2592000 seconds (30 days) at most
    /// 10000 Stars; the link is what Telegram opens.
    fn invoice_link(&mut self, p: &Map<String, Value>) -> Result<Value, ApiError> {
        check_stars_invoice(p)?;
        if let Some(period) = number(p, "subscription_period") {
            if period != 2_592_000 {
                return Err(bad_request("SUBSCRIPTION_PERIOD_INVALID"));
            }
            if p.get("currency").and_then(Value::as_str) != Some("XTR") {
                return Err(bad_request(
                    "subscriptions can be paid in Telegram Stars only",
                ));
            }
        }
        self.group.invoice_links.push(p.clone());
        let n = self.group.invoice_links.len();
        Ok(json!(format!("https://t.me/$fakeInvoice{n}")))
    }
}

impl FakeTelegram {
    /// A channel (`channel`) or group (`supergroup`) `owner` created; the bot is not in it yet.
    pub fn add_chat(&self, chat_id: i64, kind: &'static str, title: &str, owner: &TgUser) {
        let mut state = self.state();
        let members = HashMap::from([(owner.id, "creator".to_string())]);
        state.group.chats.insert(
            chat_id,
            FakeChat {
                kind,
                title: title.to_owned(),
                members,
                bot_rights: None,
            },
        );
    }

    /// The bot's rights in the chat (invite users, restrict members); `None` removes the bot.
    pub fn set_bot_rights(&self, chat_id: i64, rights: Option<(bool, bool)>) {
        let mut state = self.state();
        state
            .group
            .chats
            .get_mut(&chat_id)
            .expect("a known chat")
            .bot_rights = rights;
    }

    /// `user` picks the chat in a `request_chat` keyboard button: a `chat_shared` message.
    pub fn share_chat(&self, user: &TgUser, request_id: i32, chat_id: i64) -> i32 {
        let title = {
            let state = self.state();
            state.group.chats.get(&chat_id).map(|c| c.title.clone())
        };
        let mut shared = json!({ "request_id": request_id, "chat_id": chat_id });
        if let Some(title) = title {
            shared["title"] = json!(title);
        }
        self.push_user_message(user, json!({ "chat_shared": shared }))
    }

    /// `user` asks to join through `invite_link`: a pending request and a `chat_join_request`.
    pub fn request_join(&self, user: &TgUser, chat_id: i64, invite_link: &str) {
        let mut state = self.state();
        let link = state
            .group
            .links
            .iter()
            .find(|(c, l)| *c == chat_id && l["invite_link"] == invite_link)
            .map(|(_, l)| l.clone())
            .expect("a link the bot made");
        let chat = state
            .group
            .chats
            .get(&chat_id)
            .expect("a known chat")
            .json(chat_id);
        state.group.pending.insert((chat_id, user.id), link.clone());
        let request = json!({
            "chat": chat, "from": user.json(), "user_chat_id": user.id,
            "date": now_unix(), "invite_link": link,
        });
        self.queue_update(&mut state, "chat_join_request", request);
    }

    /// `user_id` is in the chat already (joined through the seller's own invite, say).
    pub fn add_member(&self, chat_id: i64, user_id: i64) {
        let mut state = self.state();
        let chat = state.group.chats.get_mut(&chat_id).expect("a known chat");
        chat.members.insert(user_id, "member".into());
    }

    /// `user` leaves the chat on their own: a `chat_member` update.
    pub fn leave(&self, user: &TgUser, chat_id: i64) {
        let mut state = self.state();
        state
            .group
            .set_status(chat_id, user.id, "left", user.json(), None);
        let owed = std::mem::take(&mut state.group.member_updates);
        for update in owed {
            self.queue_update(&mut state, "chat_member", update);
        }
    }

    /// The user's status in the chat (`member`, `kicked`, `left`, …).
    pub fn member_status(&self, chat_id: i64, user_id: i64) -> Option<String> {
        let state = self.state();
        state
            .group
            .chats
            .get(&chat_id)?
            .members
            .get(&user_id)
            .cloned()
    }

    /// The `createInvoiceLink` requests, as sent.
    pub fn invoice_links(&self) -> Vec<Map<String, Value>> {
        self.state().group.invoice_links.clone()
    }

    /// A Stars subscription's payment (the first, or a renewal Telegram made by itself): a
    /// `successful_payment` with `subscription_expiration_date` and the recurring flags.
    pub fn subscription_payment(
        &self,
        user: &TgUser,
        payload: &str,
        stars: u32,
        charge_id: &str,
        expires: i64,
        first: bool,
    ) -> i32 {
        self.charge_stars(user, payload, stars, charge_id);
        self.state()
            .group
            .subscriptions
            .insert(charge_id.to_owned(), (user.id, false));
        let payment = json!({
            "currency": "XTR", "total_amount": stars, "invoice_payload": payload,
            "telegram_payment_charge_id": charge_id, "provider_payment_charge_id": "",
            "subscription_expiration_date": expires, "is_recurring": true,
            "is_first_recurring": first,
        });
        self.push_user_message(user, json!({ "successful_payment": payment }))
    }

    /// Whether a subscription was cancelled (`editUserStarSubscription`).
    pub fn subscription_cancelled(&self, charge_id: &str) -> Option<bool> {
        self.state()
            .group
            .subscriptions
            .get(charge_id)
            .map(|(_, c)| *c)
    }
}
