//! Standard output that ends the program quietly when the reader goes away
//! (`raftlab run s.json | head`), where `print!` would panic on the broken pipe.

use std::io::{ErrorKind, Write};

/// Writes to standard output; exits with status 0 if the pipe is closed and with status 1
/// on any other write error.
pub fn write(args: std::fmt::Arguments) {
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("raftlab: writing to standard output: {e}");
        std::process::exit(1);
    }
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*))
    };
}

/// `println!` through [`write`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}
