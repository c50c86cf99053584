//! Counts the SQL statements the app runs. sqlx reports every statement it runs (on either
//! engine, in a transaction or not) as a `tracing` event with the target `sqlx::query`; this
//! subscriber, installed for the whole test binary, counts those events and nothing else.
//!
//! Transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`) is left out on both engines: sqlx's
//! SQLite driver never reports it while its PostgreSQL driver reports some of it, so counting
//! it would charge the same code differently per engine. What a page pays for it is the audit
//! entry's group commit, which under load one COMMIT shares among up to 256 requests.

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

static STATEMENTS: AtomicU64 = AtomicU64::new(0);

struct Counter;

fn is_statement(metadata: &Metadata<'_>) -> bool {
    metadata.target() == "sqlx::query"
}

impl Subscriber for Counter {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if is_statement(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        is_statement(metadata)
    }
    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        if is_statement(event.metadata()) {
            let mut text = Summary(String::new());
            event.record(&mut text);
            if is_transaction_control(&text.0) {
                return;
            }
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
            if *SHOW {
                eprintln!("  sql: {}", text.0);
            }
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// `TRELLIS_SHOW_STATEMENTS=1` prints each statement's summary as it runs (to see where a
/// page's count comes from).
static SHOW: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| std::env::var_os("TRELLIS_SHOW_STATEMENTS").is_some());

struct Summary(String);
impl tracing::field::Visit for Summary {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        // sqlx puts a short statement in `summary` alone and leaves `db.statement` empty.
        if (field.name() == "db.statement" || field.name() == "summary") && !value.is_empty() {
            self.0 = value.chars().take(160).collect();
        }
    }
}

fn is_transaction_control(statement: &str) -> bool {
    let word = statement.split_whitespace().next().unwrap_or("");
    ["begin", "commit", "rollback"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

/// Starts counting (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        tracing::subscriber::set_global_default(Counter).expect("no other subscriber");
    });
}

/// Statements run so far by everything in this process.
pub fn statements() -> u64 {
    STATEMENTS.load(Ordering::SeqCst)
}

/// Whether statements are being printed (`TRELLIS_SHOW_STATEMENTS`).
pub fn showing() -> bool {
    *SHOW
}
