//! Multi-row inserts: rows collected per table, written a few hundred at a time with
//! bound parameters (never spliced into the SQL), in the transaction the caller holds.

use crate::db::Tx;

/// One column value of a row.
pub enum V {
    Text(String),
    Int(i64),
    NullText,
    NullInt,
}

impl From<String> for V {
    fn from(s: String) -> Self {
        V::Text(s)
    }
}
impl From<&str> for V {
    fn from(s: &str) -> Self {
        V::Text(s.to_string())
    }
}
impl From<&String> for V {
    fn from(s: &String) -> Self {
        V::Text(s.clone())
    }
}
impl From<i64> for V {
    fn from(i: i64) -> Self {
        V::Int(i)
    }
}
impl From<Option<String>> for V {
    fn from(s: Option<String>) -> Self {
        s.map_or(V::NullText, V::Text)
    }
}
impl From<Option<i64>> for V {
    fn from(i: Option<i64>) -> Self {
        i.map_or(V::NullInt, V::Int)
    }
}

/// SQLite allows 32,766 parameters per statement and PostgreSQL 65,535; stay well below.
const MAX_PARAMS: usize = 30_000;
const MAX_ROWS: usize = 500;

/// The rows waiting to be written to one table.
pub struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<V>,
    written: u64,
}

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Batch {
            table,
            columns,
            values: Vec::new(),
            written: 0,
        }
    }

    pub fn table(&self) -> &'static str {
        self.table
    }

    /// Rows written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Adds one row; its values in the order of the columns.
    pub fn push<const N: usize>(&mut self, row: [V; N]) {
        assert_eq!(
            N,
            self.columns.len(),
            "a row for {} has {N} values",
            self.table
        );
        self.values.extend(row);
    }

    /// Writes every waiting row.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        let width = self.columns.len();
        let rows_per_statement = (MAX_PARAMS / width).min(MAX_ROWS);
        for chunk in self.values.chunks(rows_per_statement * width) {
            let rows = chunk.len() / width;
            let mut sql = format!(
                "insert into {} ({}) values ",
                self.table,
                self.columns.join(", ")
            );
            for r in 0..rows {
                sql.push_str(if r == 0 { "(" } else { ", (" });
                for c in 0..width {
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('$');
                    sql.push_str(&(r * width + c + 1).to_string());
                }
                sql.push(')');
            }
            let mut query = sqlx::query(&sql);
            for value in chunk {
                query = match value {
                    V::Text(s) => query.bind(s.as_str()),
                    V::Int(i) => query.bind(*i),
                    V::NullText => query.bind(None::<String>),
                    V::NullInt => query.bind(None::<i64>),
                };
            }
            query.execute(&mut **tx).await?;
            self.written += rows as u64;
        }
        self.values.clear();
        Ok(())
    }
}
