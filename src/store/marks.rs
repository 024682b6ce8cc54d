//! Parameter marks for statements whose size varies (batches): `?` on SQLite, `$n` on
//! PostgreSQL. On SQLite sqlx finds the number of each `$n` by asking SQLite for its name, a
//! linear scan per parameter (quadratic in a statement's parameters: 4 % of all CPU on the
//! friendly IPN mix, on the settling path); a bare `?` has no name and is bound in order.
//! So parameters must be bound in the order their marks appear in the text.

use super::Backend;

/// Writes a statement's parameter marks in text order.
pub struct Marks {
    backend: Backend,
    next: usize,
}

impl Marks {
    /// Marks whose first is parameter number `first` (on PostgreSQL, `$first`).
    pub fn new(backend: Backend, first: usize) -> Marks {
        Marks {
            backend,
            next: first,
        }
    }

    /// The next parameter's mark.
    pub fn one(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        match self.backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        }
    }

    /// `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`: `rows` rows of `cols` parameters.
    pub fn rows(&mut self, rows: usize, cols: usize) -> String {
        let mut text = String::with_capacity(rows * (cols * 5 + 4));
        for r in 0..rows {
            if r > 0 {
                text.push_str(", ");
            }
            text.push('(');
            for c in 0..cols {
                if c > 0 {
                    text.push_str(", ");
                }
                text.push_str(&self.one());
            }
            text.push(')');
        }
        text
    }

    /// `(?, ?, ?)`: a list of `count` parameters, for `IN`.
    pub fn list(&mut self, count: usize) -> String {
        self.rows(1, count)
    }
}

/// Whether `sql` numbers a parameter (`$1`): a SQLite bundle's statements must all use bare
/// marks, their numbers running on from one statement to the next.
pub(super) fn numbers_parameters(sql: &str) -> bool {
    sql.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'$' && w[1].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgresql_numbers_marks_and_sqlite_leaves_them_bare() {
        let mut pg = Marks::new(Backend::Postgres, 3);
        assert_eq!(pg.one(), "$3");
        assert_eq!(pg.rows(2, 2), "($4, $5), ($6, $7)");
        assert_eq!(pg.list(1), "($8)");
        let mut lite = Marks::new(Backend::Sqlite, 3);
        assert_eq!(lite.one(), "?");
        assert_eq!(lite.rows(2, 2), "(?, ?), (?, ?)");
        assert!(!numbers_parameters("UPDATE t SET a = ? WHERE b = '$x'"));
        assert!(numbers_parameters("UPDATE t SET a = $12"));
    }
}
