//! Writes sent together. On SQLite several statements go to the connection's thread in one
//! round trip (its driver runs a multi-statement text in one go, binding bare `?` marks in
//! order across it: `store::marks`); on PostgreSQL they go one after the other (a prepared
//! statement holds one). Settlement's batch writes its ledger entries, messages and inbox rows
//! this way, and on SQLite its orders' compare-and-set and its `COMMIT` too (issue 18).

use super::marks::{self, Marks};
use super::{Backend, Conn, StoreError, WriteTx};
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

/// Statements to run together, in order, in the caller's transaction.
pub struct Bundle<'q> {
    backend: Backend,
    statements: Vec<(String, AnyArguments<'q>)>,
}

/// The parameters of one statement of a bundle, added in order.
pub struct Params<'a, 'q>(&'a mut AnyArguments<'q>);

impl<'q> Params<'_, 'q> {
    pub fn add<T: Encode<'q, Any> + Type<Any> + 'q>(&mut self, value: T) -> Result<(), StoreError> {
        self.0
            .add(value)
            .map_err(|e| StoreError::Encode(e.to_string()))
    }
}

impl<'q> Bundle<'q> {
    pub fn new(backend: Backend) -> Bundle<'q> {
        Bundle {
            backend,
            statements: Vec::new(),
        }
    }

    /// Adds a statement: `sql` writes its parameters' marks with the `Marks` it is given, and
    /// its parameters are then added, in the order of their marks, to what this returns.
    pub fn statement(&mut self, sql: impl FnOnce(&mut Marks) -> String) -> Params<'_, 'q> {
        let joins = self.backend == Backend::Sqlite && !self.statements.is_empty();
        let first = if joins {
            self.statements[0].1.len() + 1
        } else {
            1
        };
        let text = sql(&mut Marks::new(self.backend, first));
        debug_assert!(
            self.backend == Backend::Postgres || !marks::numbers_parameters(&text),
            "{text}"
        );
        if joins {
            let (joined, args) = &mut self.statements[0];
            joined.push_str(";\n");
            joined.push_str(&text);
            return Params(args);
        }
        self.statements.push((text, AnyArguments::default()));
        let last = self.statements.len() - 1;
        Params(&mut self.statements[last].1)
    }

    /// Runs the statements, in order, then commits `tx`: on SQLite the transaction's `COMMIT`
    /// goes with them when it can (`WriteTx::closing`).
    pub async fn commit(mut self, mut tx: WriteTx) -> Result<(), StoreError> {
        if let Some(closing) = tx.closing() {
            self.statement(|_| closing.to_string());
        }
        self.execute(&mut tx).await?;
        tx.commit().await
    }

    /// Runs the statements, in order.
    pub async fn execute(self, conn: &mut Conn) -> Result<(), StoreError> {
        for (sql, args) in self.statements {
            sqlx::query_with(&sql, args).execute(&mut *conn).await?;
        }
        Ok(())
    }
}
