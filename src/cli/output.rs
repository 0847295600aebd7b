//! Output files (`-o`, `batch --out`): never the input, never half-written.
//!
//! * **Not an input.** Before anything is written, the output path is compared with every file
//!   the command reads (the memory and its `-wal`/`-shm` companions, the glossary, the articles)
//!   by file identity (device and inode, through `same-file`), so a symlink or a second name
//!   of the memory is caught as well as its own path: `tm export -o tm.sqlite` is refused and
//!   the memory left as it was.
//! * **Whole or not at all.** A file is written to a temporary file in the target's folder and
//!   renamed over the target only when complete and flushed to disk; an error or a kill before
//!   that leaves the old file (or none) and the temporary file is removed. A symlink given as
//!   the output is written through (its target is replaced, the link kept); an existing file
//!   keeps its permissions.
//! * Standard output (`-` or no `-o`) is written directly.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a command writes: standard output, or a temporary file renamed into place by
/// [`Output::finish`]. Dropped without `finish`, a file output leaves the target untouched.
pub(crate) enum Output {
    /// Standard output.
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// A temporary file beside `target`.
    File {
        /// The temporary file.
        w: std::io::BufWriter<tempfile::NamedTempFile>,
        /// The file it replaces when finished.
        target: PathBuf,
    },
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { w, .. } => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.write_all(buf),
            Output::File { w, .. } => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            // Flushing the buffer only: the file is published by `finish`.
            Output::File { w, .. } => w.flush(),
        }
    }
}

impl Output {
    /// Flushes, and for a file syncs it to disk and renames it over the target.
    pub(crate) fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut w) => Ok(w.flush()?),
            Output::File { w, target } => {
                let tmp = w.into_inner().map_err(|e| e.into_error()).with_context(|| {
                    format!("{}: cannot write the output file (left as it was)", target.display())
                })?;
                tmp.as_file().sync_all().with_context(|| {
                    format!("{}: cannot write the output file (left as it was)", target.display())
                })?;
                tmp.persist(&target).map_err(|e| e.error).with_context(|| {
                    format!("{}: cannot replace the output file (left as it was)", target.display())
                })?;
                Ok(())
            }
        }
    }
}

/// Opens the output `path` (`None` or `-`: standard output), refusing a path that is one of
/// `inputs` (compared by file identity; inputs that do not exist are ignored).
pub(crate) fn output(path: Option<&Path>, inputs: &[&Path]) -> anyhow::Result<Output> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            refuse_inputs(p, inputs)?;
            let target = atomic_target(p);
            let tmp = temp_beside(&target)
                .with_context(|| format!("{}: cannot create the output file", target.display()))?;
            Ok(Output::File { w: std::io::BufWriter::new(tmp), target })
        }
        _ => Ok(Output::Stdout(std::io::BufWriter::new(std::io::stdout().lock()))),
    }
}

/// Writes `f`'s output to `path` whole or not at all (a temporary file renamed into place).
pub(crate) fn write_file(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let target = atomic_target(path);
    let mut w = std::io::BufWriter::new(temp_beside(&target)?);
    f(&mut w)?;
    let tmp = w.into_inner().map_err(|e| e.into_error())?;
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// An error when `out` is the same file as one of `inputs`.
pub(crate) fn refuse_inputs(out: &Path, inputs: &[&Path]) -> anyhow::Result<()> {
    for input in inputs {
        if same_file::is_same_file(out, input).unwrap_or(false) {
            anyhow::bail!(
                "{}: is the same file as the input {}; writing there would destroy it (nothing written); \
                 give another output path",
                out.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// The file to replace: a symlink's target (so the link stays a link), else `path`.
fn atomic_target(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// A temporary file in `target`'s folder, with `target`'s permissions when it exists.
fn temp_beside(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    if target.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory; give the path of a file",
        ));
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like `File::create`: 0666 less the umask.
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = b.tempfile_in(dir)?;
    if let Ok(m) = std::fs::metadata(target) {
        tmp.as_file().set_permissions(m.permissions())?;
    }
    Ok(tmp)
}
