//! Entry point: parse configuration, hand over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    tune_malloc();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve())
}

async fn serve() -> std::process::ExitCode {
    server::init_tracing();
    let cli = server::config::Cli::parse();
    match server::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// glibc gives each thread that allocates its own memory arena (up to eight per core).
/// One arena (what this did before) kept the resident size low but made every thread
/// queue for its lock: on the 10,000-couple benchmark (2 cores) the dashboard served 620
/// pages a second with one arena, 1,040 with two, 1,170 with four and 1,300 with eight or
/// more. Four per core is the knee of that curve. `MALLOC_ARENA_MAX` in the environment
/// overrides this (and then nothing here runs).
///
/// Memory freed in one arena is not reused by the others, so more arenas hold more freed
/// memory: peak RSS under the benchmark's load went from 61 to 77 MiB. A thread hands
/// freed pages back to the system five times a second (`malloc_trim`), which brought it to
/// 56 MiB at the same speed (once a second: 59 MiB).
#[allow(unsafe_code)]
fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = i32::try_from(4 * cores).unwrap_or(i32::MAX);
        // SAFETY: called first in main, before any other thread exists; mallopt only
        // changes the allocator's tuning and returns 0 when it refuses.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
        let trimming = std::thread::Builder::new()
            .name("malloc-trim".into())
            .spawn(|| {
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    // SAFETY: malloc_trim is thread-safe (it takes each arena's lock) and
                    // only returns free pages; nothing in use moves.
                    unsafe {
                        libc::malloc_trim(0);
                    }
                }
            });
        if let Err(err) = trimming {
            eprintln!("warning: cannot start the thread that returns freed memory: {err}");
        }
    }
}
