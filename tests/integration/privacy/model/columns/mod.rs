//! What every column of every table holds: content of a kind in `KINDS` (whose readers
//! apply), a secret nobody may ever be shown, or structure (ids, times, numbers, choices).
//! A column the database has and this list lacks fails the test, so a feature says what it
//! stores before it stores it.

use super::kinds;

/// What a stored column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Words or answers people wrote: the kind (in `KINDS`) whose readers apply.
    Content(&'static str),
    /// A secret no response may ever carry, to anyone (hashes, keys, tokens).
    Secret,
    /// Ids, times, numbers, fixed choices and names of things (not what someone wrote).
    Structure,
}
use Holds::*;

mod accounts;
mod between;
mod program;
mod record;

/// A family of tables: each table's name and what each of its columns holds.
pub type Family = &'static [(&'static str, &'static [(&'static str, Holds)])];

/// Every column of every table, family by family. A column the database has and this list
/// lacks fails the test: a new feature says what it stores before it stores it.
pub const COLUMNS: &[Family] = &[
    accounts::COLUMNS,
    record::COLUMNS,
    program::COLUMNS,
    between::COLUMNS,
];

/// Every table's line, whatever its family.
fn listed_tables() -> impl Iterator<Item = &'static (&'static str, &'static [(&'static str, Holds)])>
{
    COLUMNS.iter().flat_map(|family| family.iter())
}

/// Every column of every table has its line in `COLUMNS`, and every line names a column
/// that exists and a kind of content that is in `KINDS`.
pub async fn check_columns(app: &crate::helpers::TestApp, failures: &mut Vec<String>) {
    use crate::privacy::tables::{column_names, table_names};
    let tables = table_names(app).await;
    for table in &tables {
        let listed = listed_tables().find(|(t, _)| t == table).map(|(_, c)| *c);
        let Some(listed) = listed else {
            failures.push(format!(
                "table {table} is not in the privacy model: say what each column holds"
            ));
            continue;
        };
        let actual = column_names(app, table).await;
        for column in &actual {
            if !listed.iter().any(|(c, _)| c == column) {
                failures.push(format!(
                    "column {table}.{column} is not in the privacy model: say what it holds"
                ));
            }
        }
        for (column, holds) in listed {
            if !actual.iter().any(|c| c == column) {
                failures.push(format!(
                    "the privacy model names {table}.{column}, which is gone"
                ));
            }
            if let Content(kind) = holds
                && !kinds().any(|k| k.kind == *kind)
            {
                failures.push(format!(
                    "{table}.{column} holds \"{kind}\", which has no row in KINDS"
                ));
            }
        }
    }
    let mut named: Vec<&str> = listed_tables().map(|(t, _)| *t).collect();
    named.sort();
    for pair in named.windows(2).filter(|p| p[0] == p[1]) {
        failures.push(format!("the privacy model names table {} twice", pair[0]));
    }
    for (table, _) in listed_tables() {
        if !tables.iter().any(|t| t == table) {
            failures.push(format!(
                "the privacy model names table {table}, which is gone"
            ));
        }
    }
    let mut markers: Vec<&str> = kinds().map(|k| k.marker).collect();
    markers.sort();
    markers.dedup();
    if markers.len() != kinds().count() {
        failures.push("two kinds share a marker".into());
    }
}

/// The value of every secret the database holds, to be found in no response at all.
pub async fn secret_values(app: &crate::helpers::TestApp) -> Vec<String> {
    let mut out = Vec::new();
    for (table, columns) in listed_tables() {
        for (column, holds) in *columns {
            if *holds != Secret {
                continue;
            }
            let values: Vec<Option<String>> =
                sqlx::query_scalar(&format!("select cast({column} as text) from {table}"))
                    .fetch_all(app.state.db.pool())
                    .await
                    .unwrap_or_else(|e| panic!("{table}.{column}: {e}"));
            out.extend(values.into_iter().flatten().filter(|v| v.len() >= 8));
        }
    }
    out
}
