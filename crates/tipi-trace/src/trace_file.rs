//! A process's trace file: appended by every thread, capped so a chatty dependency (hyper,
//! rustls, sqlx at TRACE) cannot fill the disk.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;

/// The most one process writes to its trace file (64 MiB); past it, one last line says the
/// file was cut and events are dropped.
pub const TRACE_FILE_CAP: u64 = 64 * 1024 * 1024;

const CUT: &[u8] = b"[tipi-trace] cap reached: later events dropped\n";

struct Inner {
    file: File,
    written: u64,
    cut: bool,
}

/// `<dir>/<program>-<pid>.log`, shared by every thread of the process.
#[derive(Clone)]
pub(crate) struct CappedFile(Arc<Mutex<Inner>>);

impl CappedFile {
    pub(crate) fn create(dir: &Path, program: &str) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("{program}-{}.log", std::process::id()));
        let file = File::options().create(true).append(true).open(path)?;
        Ok(Self(Arc::new(Mutex::new(Inner {
            file,
            written: 0,
            cut: false,
        }))))
    }
}

impl Write for CappedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // A poisoned lock (a panic while writing) still holds a usable file.
        let mut inner = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if inner.written + buf.len() as u64 > TRACE_FILE_CAP {
            if !inner.cut {
                inner.cut = true;
                inner.file.write_all(CUT)?;
            }
            return Ok(buf.len());
        }
        inner.written += buf.len() as u64;
        inner.file.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .file
            .flush()
    }
}

impl<'a> MakeWriter<'a> for CappedFile {
    type Writer = CappedFile;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
