//! The `portfolio` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use portfolio::Error;
use portfolio::cli::{self, Cli};

/// mimalloc: the parallel parse allocates and frees millions of small
/// strings on two threads; glibc's allocator spent a sixth of `check` there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (option 15 of its stable list; the
/// crate names no constant for it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // mimalloc 3 gives freed memory back to the system after a second; a
    // command is done by then, so its peak would be everything it ever freed.
    // After 5 ms the peak is what the command holds at once, as with glibc.
    // `MIMALLOC_PURGE_DELAY` in the environment still wins.
    #[allow(unsafe_code)]
    // SAFETY: stores one option's value, before any other thread starts.
    unsafe {
        libmimalloc_sys::mi_option_set_default(PURGE_DELAY, 5)
    };
    let cli = Cli::parse();
    let color = cli.color.for_stderr();
    match cli::run(cli) {
        Ok(exit) => ExitCode::from(exit.code() as u8),
        Err(Error::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            cli::print_error(&err, color);
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option number names the purge delay: it alone defaults to 1000 ms.
    #[test]
    #[allow(unsafe_code)]
    fn purge_delay_is_option_15() {
        if ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"].iter().any(|v| std::env::var_os(v).is_some()) {
            return;
        }
        // SAFETY: reads one option's value.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) }, 1000);
    }
}
