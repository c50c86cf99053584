//! `server seed-practice`: a large made-up practice for benchmarks, with progress shown
//! while it works (ten thousand couples take minutes).

use crate::config::Config;
use app::error::AppError;
use app::seed::{BENCH_PASSWORD, Plan, large_practice};
use std::io::Write;
use std::time::Instant;

pub async fn seed_practice(config: &Config, plan: Plan) -> Result<(), AppError> {
    let db = crate::startup::open_database(config).await?;
    let started = Instant::now();
    eprintln!(
        "Seeding {} couples and {} counselors (seed {}) into {}",
        plan.couples,
        plan.counselors(),
        plan.seed,
        config.database_url().split('?').next().unwrap_or_default()
    );
    let mut last = 0.0;
    let result = large_practice(&db, plan, |done, rows| {
        let secs = started.elapsed().as_secs_f64();
        if done == plan.couples || secs - last >= 1.0 {
            last = secs;
            let rate = rows as f64 / secs.max(0.001);
            eprint!(
                "\r  {done:>7} of {} couples, {rows:>10} rows, {secs:>6.0} s ({rate:.0} rows/s)  ",
                plan.couples
            );
            let _ = std::io::stderr().flush();
        }
    })
    .await;
    eprintln!();
    db.close().await;
    let counts = result?;
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    println!(
        "Seeded {total} rows in {:.1} s:",
        started.elapsed().as_secs_f64()
    );
    for (table, n) in counts {
        println!("  {table:<20} {n:>10}");
    }
    println!(
        "Sign in as counselor1@bench.trellis.test, admin@bench.trellis.test or a partner \
         such as p0-1@bench.trellis.test; every password is {BENCH_PASSWORD}."
    );
    Ok(())
}
