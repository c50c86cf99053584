//! Entry point: parse configuration, hand over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
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

/// glibc gives each thread that allocates its own memory arena (up to eight per core), and
/// memory freed in one arena is not reused by the others: a server with a dozen threads
/// holds far more memory than it uses. One arena keeps the resident size near what is in
/// use; the threads here spend little time allocating, so they rarely wait for it.
/// `MALLOC_ARENA_MAX` in the environment overrides this.
#[allow(unsafe_code)]
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called first in main, before any other thread exists; mallopt only
        // changes the allocator's tuning and returns 0 when it refuses.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}
