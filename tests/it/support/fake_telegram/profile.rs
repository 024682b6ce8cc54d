//! The bot's profile as Telegram keeps it: command menus per scope and language
//! (`setMyCommands`, `getMyCommands`) and descriptions (`setMyDescription`,
//! `setMyShortDescription`), checked as the Bot API checks them.

use super::*;

impl TgState {
    /// `setMyCommands`: at most 100 commands, names of 1–32 lowercase letters, digits and
    /// underscores, descriptions of 1–256 characters.
    pub(super) fn set_my_commands(&mut self, p: &Map<String, Value>) -> Result<Value, ApiError> {
        let commands = p
            .get("commands")
            .map(json_value)
            .and_then(|c| c.as_array().cloned())
            .ok_or_else(|| bad_request("parameter \"commands\" is required"))?;
        if commands.len() > 100 {
            return Err(bad_request("BOT_COMMANDS_TOO_MUCH"));
        }
        for command in &commands {
            let name = command["command"].as_str().unwrap_or_default();
            let valid_name = (1..=32).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            let description = command["description"].as_str().unwrap_or_default();
            if !valid_name {
                return Err(bad_request("BOT_COMMAND_INVALID"));
            }
            if !(1..=256).contains(&description.chars().count()) {
                return Err(bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
            }
        }
        let key = command_scope_key(p)?;
        self.commands.insert(key, Value::Array(commands));
        Ok(json!(true))
    }

    /// `getMyCommands`: the list set for exactly this scope and language (empty when none).
    pub(super) fn get_my_commands(&self, p: &Map<String, Value>) -> Result<Value, ApiError> {
        let key = command_scope_key(p)?;
        Ok(self.commands.get(&key).cloned().unwrap_or(json!([])))
    }

    /// `setMyDescription` (at most 512 characters) and `setMyShortDescription` (120).
    pub(super) fn set_description(
        &mut self,
        p: &Map<String, Value>,
        field: &str,
        max: usize,
    ) -> Result<Value, ApiError> {
        let text = p.get(field).and_then(Value::as_str).unwrap_or_default();
        if text.chars().count() > max {
            return Err(bad_request(&format!(
                "{} is too long",
                field.to_uppercase()
            )));
        }
        let lang = p
            .get("language_code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        self.descriptions
            .insert((field.to_owned(), lang.to_owned()), text.to_owned());
        Ok(json!(true))
    }
}

/// The scope (its JSON, `default` when absent) and language a command list is kept under.
fn command_scope_key(p: &Map<String, Value>) -> Result<(String, String), ApiError> {
    let scope = p
        .get("scope")
        .map(json_value)
        .unwrap_or(json!({ "type": "default" }));
    let kind = scope["type"].as_str().unwrap_or_default();
    const KINDS: [&str; 7] = [
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    ];
    if !KINDS.contains(&kind) {
        return Err(bad_request("BOT_COMMAND_SCOPE_INVALID"));
    }
    let chat = scope.get("chat_id").and_then(as_i64);
    if kind.starts_with("chat") && chat.is_none() {
        return Err(bad_request("chat_id is empty"));
    }
    let scope = match chat {
        Some(chat) => format!("{kind}:{chat}"),
        None => kind.to_owned(),
    };
    let lang = p
        .get("language_code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok((scope, lang.to_owned()))
}

impl FakeTelegram {
    /// The command menu set for `scope` (`default`, `chat:<id>` …) and `language` ("" for none).
    pub fn command_menu(&self, scope: &str, language: &str) -> Vec<String> {
        let state = self.state();
        let key = (scope.to_owned(), language.to_owned());
        state
            .commands
            .get(&key)
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|c| c["command"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The description (`description` or `short_description`) set for `language`.
    /// The description of `command` in the menu of `scope` and `language`.
    pub fn command_description(
        &self,
        scope: &str,
        language: &str,
        command: &str,
    ) -> Option<String> {
        let state = self.state();
        let menu = state
            .commands
            .get(&(scope.to_owned(), language.to_owned()))?;
        menu.as_array()?
            .iter()
            .find(|c| c["command"] == command)
            .and_then(|c| c["description"].as_str().map(str::to_owned))
    }

    pub fn description(&self, field: &str, language: &str) -> Option<String> {
        let key = (field.to_owned(), language.to_owned());
        self.state().descriptions.get(&key).cloned()
    }
}
