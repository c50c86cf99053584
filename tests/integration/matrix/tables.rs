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
