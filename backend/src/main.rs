//! The `tributary` binary: parse the command line, load the configuration, start tracing,
//! hand over to the library.

use std::process::ExitCode;

use clap::Parser;

/// Requests allocate many small, short-lived buffers (JSON, record batches); mimalloc serves
/// them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = backend::cli::Cli::parse();
    match tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(backend::THREAD_STACK_BYTES)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(backend::cli::dispatch(cli)),
        Err(err) => {
            eprintln!("tributary: cannot start the async runtime: {err}");
            ExitCode::FAILURE
        }
    }
}
