//! What happens to accepted text: stored exactly as sent, and shown as text, never markup.

use crate::helpers::{Engine, TestApp};
use crate::privacy::tables::table_names;
use crate::privacy::world::World;

/// Whether the text is stored somewhere exactly as sent (raw, or inside JSON).
pub async fn stored_exactly(app: &TestApp, engine: Engine, value: &str) -> bool {
    let json = serde_json::to_string(value).unwrap();
    let json_inner = json[1..json.len() - 1].to_string();
    let pool = app.state.db.pool();
    for table in table_names(app).await {
        let columns: Vec<String> = match engine {
            Engine::Sqlite => sqlx::query_scalar(
                "select name from pragma_table_info($1) where lower(type) = 'text'",
            ),
            Engine::Postgres => sqlx::query_scalar(
                "select column_name::text from information_schema.columns \
                 where table_schema = 'public' and table_name = $1 and data_type = 'text'",
            ),
        }
        .bind(&table)
        .fetch_all(pool)
        .await
        .unwrap();
        let find = match engine {
            Engine::Sqlite => "instr",
            Engine::Postgres => "strpos",
        };
        for column in columns {
            let sql = format!(
                "select count(*) from {table} where {find}({column}, $1) > 0 \
                 or {find}({column}, $2) > 0"
            );
            let n: i64 = sqlx::query_scalar(&sql)
                .bind(value)
                .bind(&json_inner)
                .fetch_one(pool)
                .await
                .unwrap();
            if n > 0 {
                return true;
            }
        }
    }
    false
}

/// Every page, opened by everyone who may open it after the corpus went in, shows the
/// payloads as text: none of them arrives as an element or a link.
pub async fn pages_render_text_not_markup(world: &mut World<'_>) -> Vec<String> {
    const RAW: [&str; 5] = [
        "<script>window.__pwned",
        "<img src=x onerror",
        "<svg onload",
        "href=\"javascript:",
        "src=\"javascript:",
    ];
    let mut failures = Vec::new();
    let mut escaped_seen = false;
    for route in crate::privacy::pages::ROUTES {
        for &actor in route.allow {
            if route.post {
                continue;
            }
            let path = world.fill(route.path).await;
            let page = world.browser(actor).get(&path).await;
            if page.status >= 500 {
                failures.push(format!("GET {path} as {actor:?}: {}", page.status));
            }
            // Exports are CSV or JSON, sent with nosniff: never read as a page.
            let html = page
                .headers
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
            if !html {
                continue;
            }
            for raw in RAW {
                if page.body.contains(raw) {
                    failures.push(format!("GET {path} as {actor:?} renders {raw:?} as markup"));
                }
            }
            escaped_seen |= page.body.contains("&lt;script&gt;window.__pwned");
        }
    }
    if !escaped_seen {
        failures.push("no page showed the script payload as text at all".into());
    }
    failures
}
