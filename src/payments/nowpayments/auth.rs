//! The custody login: the account's e-mail and password, and the five-minute JWT they buy.

use secrecy::SecretString;
use std::time::{Duration, Instant};

/// The account's e-mail and password, for `POST /auth`.
pub struct Login {
    pub email: String,
    pub password: SecretString,
}

/// A JWT and when it was obtained. It lives five minutes.
pub struct Jwt {
    pub(super) token: SecretString,
    pub(super) obtained: Instant,
}

/// A JWT is renewed after four minutes, before NOWPayments would refuse it.
pub(super) const JWT_RENEW_AFTER: Duration = Duration::from_secs(4 * 60);
