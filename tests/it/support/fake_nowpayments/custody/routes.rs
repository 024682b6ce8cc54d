//! The custody routes the fake answers: sign-in, balances, batch payouts with their 2FA
//! verification, the withdrawal list, and conversions.

use super::*;

impl FakeNowPayments {
    pub(super) fn check_jwt(&self, headers: &HeaderMap) -> Result<(), NpError> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let now = now_ms();
        let valid = token.is_some_and(|t| {
            self.custody()
                .tokens
                .iter()
                .any(|(issued, at)| issued == t && now - at < JWT_LIFETIME_MS)
        });
        if valid {
            Ok(())
        } else {
            Err(np_error(401, "AUTH_REQUIRED", "Authorization required"))
        }
    }

    /// Routes a custody request; `None` when the path is not a custody one.
    pub(in crate::support::fake_nowpayments) fn custody_route(
        &self,
        method: &Method,
        segments: &[&str],
        headers: &HeaderMap,
        query: &HashMap<String, String>,
        body: &[u8],
    ) -> Option<(Result<Response, NpError>, Option<std::time::Duration>)> {
        let result = match (method, segments) {
            (&Method::POST, ["v1", "auth"]) => self.auth(body),
            (&Method::GET, ["v1", "balance"]) => Ok(self.balances()),
            (&Method::GET, ["v1", "payment"]) => self
                .check_jwt(headers)
                .and_then(|()| self.list_payments(query)),
            (&Method::POST, ["v1", "payout"]) => self
                .check_jwt(headers)
                .and_then(|()| self.create_payout(body)),
            (&Method::POST, ["v1", "payout", id, "verify"]) => {
                self.check_jwt(headers).and_then(|()| self.verify(id, body))
            }
            (&Method::GET, ["v1", "payout"]) => self.check_jwt(headers).map(|()| self.list(query)),
            (&Method::GET, ["v1", "payout", id]) if *id != "fee" => {
                self.check_jwt(headers).and_then(|()| self.batch(id))
            }
            (&Method::POST, ["v1", "conversion"]) => {
                self.check_jwt(headers).and_then(|()| self.convert(body))
            }
            (&Method::GET, ["v1", "conversion", id]) => {
                self.check_jwt(headers).and_then(|()| self.conversion(id))
            }
            _ => return None,
        };
        let line = format!("{method} /{}", segments[1..].join("/"));
        let mut c = self.custody();
        let hold = c
            .holds
            .iter()
            .position(|(p, _)| line.starts_with(p.as_str()))
            .map(|i| c.holds.remove(i).1);
        let lost = c.lose.iter().position(|p| line.starts_with(p.as_str()));
        if let Some(i) = lost {
            c.lose.remove(i);
            let answer = (StatusCode::BAD_GATEWAY, "upstream connection lost").into_response();
            return Some((Ok(answer), hold));
        }
        Some((result, hold))
    }

    pub(super) fn auth(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let mut c = self.custody();
        c.auth_calls += 1;
        if request["email"] != EMAIL || request["password"] != PASSWORD {
            return Err(np_error(
                401,
                "INVALID_CREDENTIALS",
                "Wrong email or password",
            ));
        }
        let token = format!("eyJhbGciOiJIUzI1NiJ9.fake{}.{}", c.auth_calls, now_ms());
        c.tokens.push((token.clone(), now_ms()));
        Ok(json_response(
            200,
            JsonObject::new().str("token", &token).finish(),
        ))
    }

    pub(super) fn balances(&self) -> Response {
        let c = self.custody();
        let mut body = JsonObject::new();
        for (coin, amount) in &c.balances {
            let entry = JsonObject::new()
                .raw("amount", amount)
                .raw("pendingAmount", "0")
                .finish();
            body = body.raw(coin, &entry);
        }
        json_response(200, body.finish())
    }

    pub(super) fn create_payout(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let list = request["withdrawals"]
            .as_array()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| invalid_params("withdrawals must be a non-empty array"))?;
        let mut c = self.custody();
        let batch_id = (FIRST_BATCH_ID + c.batches.len() as u64).to_string();
        let first_withdrawal = FIRST_WITHDRAWAL_ID
            + c.batches
                .iter()
                .map(|b| b.withdrawals.len() as u64)
                .sum::<u64>();
        let mut needed: BTreeMap<String, u128> = BTreeMap::new();
        let mut withdrawals = Vec::new();
        for (i, w) in list.iter().enumerate() {
            let address = w["address"]
                .as_str()
                .ok_or_else(|| invalid_params("address is required"))?;
            let currency = w["currency"]
                .as_str()
                .ok_or_else(|| invalid_params("currency is required"))?;
            let amount = match &w["amount"] {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(invalid_params("amount is required")),
            };
            let value = units(&amount)
                .filter(|u| *u > 0)
                .ok_or_else(|| invalid_params("amount must be a positive number"))?;
            if decimals(&amount) > 6 {
                return Err(np_error(
                    400,
                    "BAD_CREATE_WITHDRAWAL_REQUEST",
                    "amount: at most 6 decimals",
                ));
            }
            if currency.starts_with("usdttrc20")
                && !(address.len() == 34 && address.starts_with('T'))
            {
                return Err(np_error(
                    400,
                    "BAD_CREATE_WITHDRAWAL_REQUEST",
                    format!("Invalid payout_address: {address}"),
                ));
            }
            *needed.entry(currency.to_owned()).or_default() += value;
            withdrawals.push(FakeWithdrawal {
                id: (first_withdrawal + i as u64).to_string(),
                batch_id: batch_id.clone(),
                address: address.to_owned(),
                currency: currency.to_owned(),
                amount,
                status: "WAITING".into(),
                hash: None,
                error: None,
                unique_external_id: w["unique_external_id"].as_str().map(str::to_owned),
                ipn_callback_url: w["ipn_callback_url"]
                    .as_str()
                    .or(request["ipn_callback_url"].as_str())
                    .map(str::to_owned),
                created_at: iso(now_ms()),
            });
        }
        for (coin, need) in &needed {
            let have = c.balances.get(coin).and_then(|a| units(a)).unwrap_or(0);
            if have < *need {
                return Err(np_error(
                    400,
                    "BAD_CREATE_WITHDRAWAL_REQUEST",
                    "Insufficient balance",
                ));
            }
        }
        for (coin, need) in needed {
            let have = c.balances.get(&coin).and_then(|a| units(a)).unwrap_or(0);
            c.balances
                .insert(coin, super::super::format_units(have - need));
        }
        let body = JsonObject::new()
            .str("id", &batch_id)
            .raw(
                "withdrawals",
                &format!(
                    "[{}]",
                    withdrawals
                        .iter()
                        .map(withdrawal_json)
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            )
            .finish();
        c.batches.push(FakeBatch {
            id: batch_id,
            withdrawals,
            verified: false,
            verify_attempts: 0,
        });
        Ok(json_response(200, body))
    }

    pub(super) fn verify(&self, id: &str, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let code = request["verification_code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let mut c = self.custody();
        c.verify_calls += 1;
        let reused = c.used_codes.contains(&code);
        let batch = c
            .batches
            .iter_mut()
            .find(|b| b.id == id)
            .ok_or_else(|| np_error(404, "NOT_FOUND", "Batch not found"))?;
        if batch.verified {
            return Err(np_error(400, "BAD_REQUEST", "Payout already verified"));
        }
        if batch.withdrawals.iter().all(|w| w.status == "REJECTED") {
            return Err(np_error(400, "BAD_REQUEST", "Payout rejected"));
        }
        batch.verify_attempts += 1;
        if batch.verify_attempts > 10 {
            return Err(np_error(400, "BAD_REQUEST", "Too many attempts"));
        }
        let step = now_ms() / 1000 / 30;
        let valid = !reused
            && [step - 1, step, step + 1]
                .iter()
                .any(|s| totp_code(*s) == code);
        if !valid {
            return Err(np_error(
                400,
                "INVALID_VERIFICATION_CODE",
                "Wrong verification code",
            ));
        }
        batch.verified = true;
        for w in &mut batch.withdrawals {
            w.status = "PROCESSING".into();
        }
        c.used_codes.insert(code);
        Ok((StatusCode::OK, "OK").into_response())
    }

    pub(super) fn batch(&self, id: &str) -> Result<Response, NpError> {
        let c = self.custody();
        let batch = c
            .batches
            .iter()
            .find(|b| b.id == id)
            .ok_or_else(|| np_error(404, "NOT_FOUND", "Payout not found"))?;
        let list: Vec<String> = batch.withdrawals.iter().map(withdrawal_json).collect();
        Ok(json_response(200, format!("[{}]", list.join(","))))
    }

    pub(super) fn list(&self, query: &HashMap<String, String>) -> Response {
        let limit: usize = query
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(10)
            .clamp(1, 500);
        let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(0);
        let all = self.withdrawals();
        let list: Vec<String> = all
            .iter()
            .skip(page * limit)
            .take(limit)
            .map(withdrawal_json)
            .collect();
        json_response(
            200,
            JsonObject::new()
                .raw("payouts", &format!("[{}]", list.join(",")))
                .finish(),
        )
    }

    pub(super) fn convert(&self, body: &[u8]) -> Result<Response, NpError> {
        let request: Value =
            serde_json::from_slice(body).map_err(|_| invalid_params("Invalid JSON body"))?;
        let raw: HashMap<String, Box<serde_json::value::RawValue>> =
            serde_json::from_slice(body)
                .map_err(|_| invalid_params("Body must be a JSON object"))?;
        let amount = match request.get("amount") {
            Some(Value::Number(_)) => raw["amount"].get().to_owned(),
            Some(Value::String(s)) => s.clone(),
            _ => return Err(invalid_params("amount is required")),
        };
        let from = request["from_currency"]
            .as_str()
            .ok_or_else(|| invalid_params("from_currency is required"))?;
        let to = request["to_currency"]
            .as_str()
            .ok_or_else(|| invalid_params("to_currency is required"))?;
        let value = units(&amount)
            .filter(|u| *u > 0)
            .ok_or_else(|| invalid_params("amount must be positive"))?;
        let mut c = self.custody();
        let have = c.balances.get(from).and_then(|a| units(a)).unwrap_or(0);
        if have < value {
            return Err(np_error(400, "BAD_REQUEST", "Insufficient balance"));
        }
        c.balances
            .insert(from.to_owned(), super::super::format_units(have - value));
        let usd = value * super::super::usd_per_coin(from).0 / super::super::usd_per_coin(from).1;
        let conversion = FakeConversion {
            id: (1_000 + c.conversions.len()).to_string(),
            from_currency: from.to_owned(),
            to_currency: to.to_owned(),
            from_amount: amount,
            to_amount: super::super::format_units(super::super::usd_to_coin(usd, to)),
            status: "WAITING".into(),
        };
        let body = conversion_json(&conversion);
        c.conversions.push(conversion);
        Ok(json_response(200, body))
    }

    /// Each look moves a conversion on: WAITING → PROCESSING → FINISHED (credited then).
    pub(super) fn conversion(&self, id: &str) -> Result<Response, NpError> {
        let mut c = self.custody();
        let at = c
            .conversions
            .iter()
            .position(|x| x.id == id)
            .ok_or_else(|| np_error(404, "NOT_FOUND", "Conversion not found"))?;
        let status = c.conversions[at].status.clone();
        let next = match status.as_str() {
            "WAITING" => "PROCESSING",
            _ => "FINISHED",
        };
        if status != "FINISHED" && next == "FINISHED" {
            let (to, amount) = (
                c.conversions[at].to_currency.clone(),
                c.conversions[at].to_amount.clone(),
            );
            let have = c.balances.get(&to).and_then(|a| units(a)).unwrap_or(0);
            c.balances.insert(
                to,
                super::super::format_units(have + units(&amount).unwrap_or(0)),
            );
        }
        c.conversions[at].status = next.into();
        Ok(json_response(200, conversion_json(&c.conversions[at])))
    }
}
