//! A large practice for benchmarks (`server seed-practice`): a counselor for every fifty
//! couples, and each couple with months of homework, check-ins, sessions and signed notes.
//!
//! Deterministic: the same seed and size give the same practice (names, ids, answers),
//! dated back from the moment it is seeded. Rows are written in large multi-row inserts
//! shaped as the features' repositories write them, a few hundred couples per transaction,
//! so ten thousand couples take minutes rather than hours. Like the demo practice it only
//! seeds an empty database: benchmark data never mixes with real records.

mod batch;
mod couple;
mod words;

use crate::auth::password;
use crate::auth::repo::count_users;
use crate::db::{Db, now_ms};
use crate::error::AppError;
use couple::{Ctx, Rows, Template};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// A full-time caseload. The practice grows by adding counselors, so one counselor's
/// dashboard shows as much at 100,000 couples as at 1,000.
pub const COUPLES_PER_COUNSELOR: u64 = 50;
/// The password of every account in a benchmark practice.
pub const BENCH_PASSWORD: &str = "trellis-bench";
const COUPLES_PER_TRANSACTION: u64 = 200;

/// How large a practice to seed, and from which random seed.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub couples: u64,
    pub seed: u64,
}

impl Plan {
    pub fn counselors(&self) -> u64 {
        self.couples.div_ceil(COUPLES_PER_COUNSELOR).max(1)
    }
}

/// The accounts of counselor `n` (1-based) and of partner `position` of couple `n` (0-based).
pub fn counselor_email(n: u64) -> String {
    format!("counselor{n}@bench.trellis.test")
}
pub fn partner_email(couple: u64, position: u8) -> String {
    format!("p{couple}-{position}@bench.trellis.test")
}

/// Seeds the practice, calling `progress(couples done, rows written)` after every
/// transaction. Returns the rows written per table.
pub async fn large_practice(
    db: &Db,
    plan: Plan,
    mut progress: impl FnMut(u64, u64),
) -> Result<Vec<(&'static str, u64)>, AppError> {
    if plan.couples == 0 {
        return Err(AppError::validation("couples", "Seed at least one couple."));
    }
    if count_users(db.pool()).await? > 0 {
        return Err(AppError::Conflict(
            "This database already has accounts. A benchmark practice is only seeded into an \
             empty database, so it never mixes with real records."
                .into(),
        ));
    }
    let program_id = crate::features::program::seed::ensure_builtin(db).await?;
    let templates = templates(db, &program_id).await?;
    let password_hash = password::hash(BENCH_PASSWORD.to_string()).await?;
    let rng = &mut StdRng::seed_from_u64(plan.seed);
    couple::ids_for(None);
    let now = now_ms();
    let mut rows = Rows::new();
    let mut counselors = Vec::new();
    let mut people = vec![(
        "admin@bench.trellis.test".to_string(),
        "Practice Admin".to_string(),
        "admin",
    )];
    for n in 1..=plan.counselors() {
        let first = words::FIRST_NAMES[(n as usize * 7) % words::FIRST_NAMES.len()];
        let last = words::SURNAMES[(n as usize * 13 + n as usize / 40) % words::SURNAMES.len()];
        people.push((
            counselor_email(n),
            format!("Dr. {first} {last}"),
            "counselor",
        ));
    }
    for (email, name, role) in people {
        let user_id = couple::id(rng);
        if role == "counselor" {
            counselors.push(user_id.clone());
        }
        let opened = now - 400 * 24 * 3600 * 1000;
        rows.user.push([
            user_id.into(),
            email.into(),
            name.into(),
            role.into(),
            password_hash.as_str().into(),
            "active".into(),
            opened.into(),
            opened.into(),
        ]);
    }
    let ctx = Ctx {
        now,
        program_id,
        counselors,
        templates,
        password_hash,
        consent: crate::features::consent::repo::current_for_seeding(db).await?,
    };
    let mut done = 0;
    while done < plan.couples {
        let end = (done + COUPLES_PER_TRANSACTION).min(plan.couples);
        for n in done..end {
            couple::couple(&ctx, plan.seed, n, &mut rows);
        }
        let mut tx = db.begin_write().await?;
        if db.engine() == crate::db::Engine::Sqlite {
            // A larger page cache for this connection: the indexes of a practice this size
            // outgrow SQLite's default 2 MB at once.
            sqlx::query("pragma cache_size = -262144")
                .execute(&mut *tx)
                .await?;
        }
        for batch in rows.all() {
            batch.flush(&mut tx).await?;
        }
        tx.commit().await?;
        done = end;
        progress(done, rows.all().iter().map(|b| b.written()).sum());
    }
    Ok(rows
        .all()
        .iter()
        .map(|b| (b.table(), b.written()))
        .collect())
}

/// The current version of every exercise in the program.
async fn templates(db: &Db, program_id: &str) -> Result<Vec<Template>, AppError> {
    let found: Vec<(String, i64, String, String, String, String)> = sqlx::query_as(
        "select v.template_version_id, s.number, v.audience, v.title, v.instructions, v.fields \
         from template_version v \
         join exercise_template t on t.exercise_template_id = v.exercise_template_id \
           and t.current_version = v.version and t.archived_at is null \
         join program_step s on s.program_step_id = t.program_step_id \
         where s.program_id = $1 order by s.number, t.position",
    )
    .bind(program_id)
    .fetch_all(db.pool())
    .await?;
    found
        .into_iter()
        .map(
            |(version_id, step, audience, title, instructions, fields_json)| {
                let fields = serde_json::from_str(&fields_json)
                    .map_err(|e| AppError::internal("benchmark seeder: template fields", e))?;
                Ok(Template {
                    version_id,
                    step,
                    audience,
                    title,
                    instructions,
                    fields_json,
                    fields,
                })
            },
        )
        .collect()
}
