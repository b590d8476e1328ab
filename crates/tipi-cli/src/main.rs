//! `tipi`: Tipi's use cases without a window, for power users, scripts and support. Every
//! command calls one tipi-core use case; errors print `tipi: <Code>: <message>` on stderr and
//! exit with a code a script can rely on (see `tipi --help`).

// A command line prints its results on stdout.
#![allow(clippy::print_stdout)]

mod args;
mod exit;
mod input;
mod open;
mod run;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = args::Cli::parse();
    tipi_trace::init(tipi_trace::Stderr {
        filter_var: "TIPI_LOG",
        default_filter: "warn",
        ansi: false,
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tipi: Internal: {error}");
            return exit::Code::Internal.into();
        }
    };
    let lang = args.lang();
    let outcome = runtime.block_on(run::run(args));
    drop(runtime);
    // sqlx's SQLite connections each live on a thread of their own; after the store is closed
    // those threads are still exiting (freeing SQLCipher's OpenSSL state) for a moment. Exiting
    // the process at that instant races OpenSSL's exit-time cleanup ("double free", seen under
    // the fault campaign): give them that moment first.
    std::thread::sleep(std::time::Duration::from_millis(100));
    match outcome {
        Ok(()) => exit::Code::Ok.into(),
        Err(failure) => {
            eprintln!("tipi: {}: {}", failure.code(), failure.message(lang));
            failure.exit_code().into()
        }
    }
}
