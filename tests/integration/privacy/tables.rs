//! Row counts of every table: what a refused call must leave unchanged.

use crate::helpers::TestApp;
use std::collections::BTreeMap;

pub async fn table_names(app: &TestApp) -> Vec<String> {
    let pool = app.state.db.pool();
    let sqlite: Result<Vec<(String,)>, _> = sqlx::query_as(
        "select name from sqlite_master where type = 'table' \
         and name not like 'sqlite_%' and name not like '_sqlx%' order by name",
    )
    .fetch_all(pool)
    .await;
    let names = match sqlite {
        Ok(rows) => rows,
        Err(_) => sqlx::query_as(
            "select tablename::text from pg_tables where schemaname = 'public' \
             and tablename not like '_sqlx%' order by tablename",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    names.into_iter().map(|(n,)| n).collect()
}

/// `select count(*)` of every table, in one round trip.
pub async fn table_counts(app: &TestApp) -> BTreeMap<String, i64> {
    let names = table_names(app).await;
    let sql = names
        .iter()
        .map(|t| format!("select '{t}' as t, count(*) as n from {t}"))
        .collect::<Vec<_>>()
        .join(" union all ");
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .fetch_all(app.state.db.pool())
        .await
        .unwrap();
    rows.into_iter().collect()
}

/// Columns a refused call may change: the session's last activity (every signed-in request
/// touches it) and the audit trail (a refusal is recorded on purpose).
const MAY_CHANGE: &[(&str, &str)] = &[("user_session", "last_seen_at")];
const NOT_COMPARED: &[&str] = &["audit_event"];

/// The content of every table (the audit trail aside), row by row, in a stable order: what
/// a refused call must leave exactly as it was. Differences are named by table.
pub async fn table_contents(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    let pool = app.state.db.pool();
    let mut out = BTreeMap::new();
    for table in table_names(app).await {
        if NOT_COMPARED.contains(&table.as_str()) {
            continue;
        }
        let columns = column_names(app, &table).await;
        let row = columns
            .iter()
            .filter(|c| !MAY_CHANGE.contains(&(table.as_str(), c.as_str())))
            .map(|c| format!("coalesce(cast({c} as text), '~')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows: Vec<String> = sqlx::query_scalar(&format!("select {row} from {table}"))
            .fetch_all(pool)
            .await
            .unwrap_or_else(|e| panic!("reading {table}: {e}"));
        rows.sort();
        out.insert(table, rows);
    }
    out
}

/// The tables whose content differs between two readings, with what changed.
pub fn changed(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in after {
        let old = before.get(table).cloned().unwrap_or_default();
        if &old != rows {
            let added: Vec<&String> = rows.iter().filter(|r| !old.contains(r)).collect();
            let removed: Vec<&String> = old.iter().filter(|r| !rows.contains(r)).collect();
            out.push(format!("{table}: +{added:?} -{removed:?}"));
        }
    }
    out
}

/// A table's columns, in order.
pub async fn column_names(app: &TestApp, table: &str) -> Vec<String> {
    let pool = app.state.db.pool();
    let sqlite: Result<Vec<String>, _> =
        sqlx::query_scalar(&format!("select name from pragma_table_info('{table}')"))
            .fetch_all(pool)
            .await;
    match sqlite {
        Ok(names) if !names.is_empty() => names,
        _ => sqlx::query_scalar(
            "select column_name::text from information_schema.columns \
             where table_schema = 'public' and table_name = $1 order by ordinal_position",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .unwrap(),
    }
}
