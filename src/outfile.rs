//! Writing a build's output files (the PDF, the layout dump) so that a user's
//! file is never destroyed and a failed build leaves nothing half-written.
//!
//! A build first *plans* every output: each path is resolved to the file it
//! really names (through symlinks), compared by file identity with every input
//! the build reads (articles, layout, fonts) and with the other outputs, and
//! classified: a regular file is replaced through a temporary file and a
//! rename, keeping its permissions; a hard-linked file, a device (`/dev/null`)
//! or a pipe (`/dev/stdout` under a shell pipe) is written in place, because a
//! rename would replace the link or the device node instead of writing
//! through it. Only when every output is planned and every byte is ready are
//! the files written, all of them or none: temporary files are written and
//! synced first, then renamed one after the other.
//!
//! Temporary files are registered while they exist so that SIGINT, SIGTERM
//! or SIGHUP removes them before the process exits ([`install_signal_cleanup`]).

use std::fs::{File, Metadata, OpenOptions, Permissions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

/// Why an output cannot be written. Every variant but `Io` is found while
/// planning, before anything is written; `Io` during [`write_all`] leaves
/// the replaced files untouched unless the failure comes between renames.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output path names a file the build reads (through a symlink or a
    /// hard link too), so writing would destroy an input; choose another path.
    #[error("refusing to write the {role} to {path}: it is {input}, which this build reads; choose another output path")]
    IsInput {
        /// Which output, e.g. `PDF` or `layout dump`.
        role: &'static str,
        /// The output path as the user gave it.
        path: String,
        /// The input it would overwrite, e.g. `the layout file l.toml`.
        input: String,
    },
    /// Two outputs name the same file (a pair of devices such as `/dev/null`
    /// is allowed); give them different paths.
    #[error("refusing to write the {role} and the {other} to the same file {path}; give them different paths")]
    SameFile {
        /// The output planned first.
        role: &'static str,
        /// The output planned second, whose path is shown.
        other: &'static str,
        /// The second output's path as the user gave it.
        path: String,
    },
    /// The path cannot hold an output: empty, a folder, a dangling symlink,
    /// no file name, or a file type that is neither regular, device nor pipe.
    #[error("cannot write the {role} to {path}: {why}")]
    Unsuitable {
        /// Which output.
        role: &'static str,
        /// The output path as the user gave it.
        path: String,
        /// Why the path cannot be used, in words for the user.
        why: String,
    },
    /// The OS refused an operation: creating the output folder while
    /// planning, or writing, syncing or renaming while writing (disk full,
    /// no permission). Temporary files are removed; an output already
    /// written through or renamed before the failure keeps its new content.
    // The OS error is in the message; it is not repeated as a source, so a
    // report that prints the chain says it once.
    #[error("cannot write the {role} to {path}: {error}")]
    Io {
        /// Which output.
        role: &'static str,
        /// The output path as the user gave it.
        path: String,
        /// The OS error.
        error: std::io::Error,
    },
}

/// One input the build reads, named for error messages ("the article file
/// samples/edition.md").
#[derive(Debug, Clone)]
pub struct Input {
    /// What the file is, phrased for a message: `the layout file`,
    /// `a font file`.
    pub what: String,
    /// The file as the build opens it; compared by identity, not by name.
    pub path: PathBuf,
}

impl Input {
    /// An input described as `what` (e.g. `a font file`) at `path`.
    pub fn new(what: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Input {
            what: what.into(),
            path: path.into(),
        }
    }
}

/// How an output reaches its file.
#[derive(Debug, Clone)]
enum Method {
    /// A new file, or a regular file with one name: temporary file + rename.
    /// `permissions` are the replaced file's, kept on the new one.
    Replace { permissions: Option<Permissions> },
    /// A hard-linked regular file: truncated and written through, so every
    /// name sees the new content.
    Truncate,
    /// A character device or a pipe: written through, never truncated or
    /// renamed over.
    Stream,
}

/// An output whose path has been checked and resolved.
#[derive(Debug, Clone)]
pub struct PlannedOutput {
    /// Which output this is, e.g. `PDF` or `layout dump`, for messages.
    pub role: &'static str,
    /// The path as the user gave it, for messages.
    pub given: PathBuf,
    /// The file the path really names (symlinks followed).
    real: PathBuf,
    method: Method,
}

impl PlannedOutput {
    /// Whether the output is a device or a pipe (nothing to show as a file).
    pub fn is_stream(&self) -> bool {
        matches!(self.method, Method::Stream)
    }

    /// The file actually written, symlinks followed.
    pub fn real_path(&self) -> &Path {
        &self.real
    }
}

#[cfg(unix)]
fn identity(m: &Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Metadata) -> Option<(u64, u64)> {
    None
}

#[cfg(unix)]
fn link_count(m: &Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.nlink()
}

#[cfg(not(unix))]
fn link_count(_: &Metadata) -> u64 {
    1
}

#[cfg(unix)]
fn is_stream_type(m: &Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    t.is_char_device() || t.is_fifo() || t.is_socket()
}

#[cfg(not(unix))]
fn is_stream_type(_: &Metadata) -> bool {
    false
}

/// The same file: equal canonical paths, or equal device and inode (a hard
/// link or a bind mount has another path).
fn same_file(a: &Path, a_meta: Option<&Metadata>, b: &Path) -> bool {
    let canon_b = std::fs::canonicalize(b).ok();
    if canon_b.as_deref() == Some(a) {
        return true;
    }
    match (a_meta.and_then(identity), std::fs::metadata(b).ok()) {
        (Some(ia), Some(mb)) => identity(&mb) == Some(ia),
        _ => false,
    }
}

/// The file a path names once symlinks are followed; for a path that does
/// not exist yet, its folder canonicalised (created if missing) and its name.
fn resolve(role: &'static str, path: &Path) -> Result<(PathBuf, Option<Metadata>), OutputError> {
    let shown = path.display().to_string();
    let unsuitable = |why: String| OutputError::Unsuitable {
        role,
        path: shown.clone(),
        why,
    };
    let io = |error| OutputError::Io {
        role,
        path: shown.clone(),
        error,
    };
    if path.as_os_str().is_empty() {
        return Err(unsuitable("the path is empty".into()));
    }
    match std::fs::metadata(path) {
        Ok(meta) => {
            // `/dev/stdout` under a pipe links to `pipe:[…]`, which has no
            // canonical path: the path as given still opens it.
            let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            Ok((real, Some(meta)))
        }
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && std::fs::symlink_metadata(path).is_ok() =>
        {
            Err(unsuitable(
                "it is a symbolic link to a file that does not exist".into(),
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let name = path
                .file_name()
                .ok_or_else(|| unsuitable("the path does not end in a file name".into()))?;
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir).map_err(io)?;
            let dir = std::fs::canonicalize(dir).map_err(io)?;
            Ok((dir.join(name), None))
        }
        Err(e) => Err(io(e)),
    }
}

/// Check every output against the inputs and each other and decide how each
/// is written. Nothing is written; a missing output folder is created.
pub fn plan(
    outputs: &[(&'static str, &Path)],
    inputs: &[Input],
) -> Result<Vec<PlannedOutput>, OutputError> {
    let mut planned: Vec<(PlannedOutput, Option<Metadata>)> = Vec::new();
    for &(role, path) in outputs {
        let shown = path.display().to_string();
        let (real, meta) = resolve(role, path)?;
        for input in inputs {
            if same_file(&real, meta.as_ref(), &input.path) {
                return Err(OutputError::IsInput {
                    role,
                    path: shown,
                    input: format!("{} {}", input.what, input.path.display()),
                });
            }
        }
        for (other, other_meta) in &planned {
            let same = other.real == real
                || matches!(
                    (meta.as_ref().and_then(identity), other_meta.as_ref().and_then(identity)),
                    (Some(a), Some(b)) if a == b
                );
            // Two streams to one device (both to /dev/null) harm nothing.
            if same && !(other.is_stream() && meta.as_ref().is_some_and(is_stream_type)) {
                return Err(OutputError::SameFile {
                    role: other.role,
                    other: role,
                    path: shown,
                });
            }
        }
        let method = match &meta {
            None => Method::Replace { permissions: None },
            Some(m) if m.is_dir() => {
                return Err(OutputError::Unsuitable {
                    role,
                    path: shown,
                    why: "it is a folder; give a file name".into(),
                })
            }
            Some(m) if m.is_file() && link_count(m) > 1 => Method::Truncate,
            Some(m) if m.is_file() => Method::Replace {
                permissions: Some(m.permissions()),
            },
            Some(m) if is_stream_type(m) => Method::Stream,
            Some(_) => {
                return Err(OutputError::Unsuitable {
                    role,
                    path: shown,
                    why: "it is neither a regular file, a character device nor a pipe".into(),
                })
            }
        };
        planned.push((
            PlannedOutput {
                role,
                given: path.to_path_buf(),
                real,
                method,
            },
            meta,
        ));
    }
    Ok(planned.into_iter().map(|(p, _)| p).collect())
}

/// Temporary files that exist right now, removed on a terminating signal.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static TEMP_COUNTER: AtomicU32 = AtomicU32::new(0);

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves a list that is still right.
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove every temporary file still registered.
pub fn remove_pending() {
    for p in pending().drain(..) {
        let _ = std::fs::remove_file(p);
    }
}

/// On SIGINT, SIGTERM or SIGHUP: remove the temporary files of a write in
/// progress, then exit with 128 + 2 as a shell expects of an interrupt.
/// On SIGBUS — a memory-mapped input (a font) truncated by another process
/// while this build reads it — say so, remove the temporary files and exit
/// 2, instead of dying of the signal.
pub fn install_signal_cleanup() {
    // A second installation (tests) is harmless to ignore.
    let _ = ctrlc::set_handler(|| {
        remove_pending();
        std::process::exit(130);
    });
    #[cfg(unix)]
    install_sigbus_guard();
}

#[cfg(unix)]
#[expect(
    unsafe_code,
    reason = "a signal handler calls write(2) and _exit(2) through libc"
)]
extern "C" fn on_sigbus(_: libc::c_int) {
    const MESSAGE: &[u8] = b"error: a font file was truncated or rewritten in place while this build read it; nothing was written; build again\n";
    // write and _exit are async-signal-safe; remove_file allocates a C
    // string, which is safe here because the fault comes from reading a
    // mapping, never from inside the allocator. The list is taken without
    // waiting: if the interrupted code holds it, its files stay behind.
    // SAFETY: write(2) on stderr with a static buffer.
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
    }
    if let Ok(list) = PENDING.try_lock() {
        for p in list.iter() {
            let _ = std::fs::remove_file(p);
        }
    }
    // SAFETY: _exit ends the process without running anything else.
    unsafe { libc::_exit(2) }
}

#[cfg(unix)]
#[expect(unsafe_code, reason = "sigaction(2) through libc")]
fn install_sigbus_guard() {
    // SAFETY: installs a handler that only makes async-signal-safe calls.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

/// A temporary file beside `real`. The name is short and fixed in length, so
/// an output name of up to 255 bytes still leaves room for it; it starts
/// with a dot so file browsers hide it.
fn create_temp(real: &Path) -> std::io::Result<(PathBuf, File)> {
    let dir = real.parent().unwrap_or(Path::new("."));
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".broadsheet-{}-{n}.tmp", std::process::id()));
        // Registered before it exists: a signal between creating and
        // registering would otherwise leave it behind.
        pending().push(tmp.clone());
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) => {
                pending().retain(|p| *p != tmp);
                if e.kind() != std::io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
            }
        }
    }
}

fn forget(tmp: &Path) {
    pending().retain(|p| p != tmp);
}

/// Remove this write's temporary files (not those of another write running
/// in the same process).
fn discard(temps: &[Option<PathBuf>]) {
    for tmp in temps.iter().flatten() {
        let _ = std::fs::remove_file(tmp);
        forget(tmp);
    }
}

/// Tests of interrupted builds set `variable` (a number of milliseconds) to
/// hold the build at a known moment — after the inputs are loaded, or after
/// the temporary files are complete — so a signal or a truncation can be
/// sent then.
pub fn test_hold(variable: &str) {
    if let Some(ms) =
        std::env::var_os(variable).and_then(|v| v.to_str().and_then(|s| s.parse::<u64>().ok()))
    {
        // The test waits for this line before it acts.
        eprintln!("holding for {ms} ms ({variable})");
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Write every planned output with its bytes (`contents[i]` for
/// `outputs[i]`): all of them, or none if any temporary file cannot be
/// written.
pub fn write_all(outputs: &[PlannedOutput], contents: &[&[u8]]) -> Result<(), OutputError> {
    assert_eq!(outputs.len(), contents.len());
    let io = |o: &PlannedOutput| {
        let path = o.given.display().to_string();
        let role = o.role;
        move |error| OutputError::Io { role, path, error }
    };
    // Stage 1: every replaced file is written to a temporary file and synced.
    let mut temps: Vec<Option<PathBuf>> = Vec::new();
    let mut staged = Ok(());
    for (o, bytes) in outputs.iter().zip(contents) {
        let Method::Replace { permissions } = &o.method else {
            temps.push(None);
            continue;
        };
        let result = (|| {
            let (tmp, mut f) = create_temp(&o.real)?;
            temps.push(Some(tmp));
            f.write_all(bytes)?;
            if let Some(p) = permissions {
                f.set_permissions(p.clone())?;
            }
            f.sync_all()
        })();
        if let Err(e) = result {
            staged = Err(io(o)(e));
            break;
        }
    }
    if let Err(e) = staged {
        discard(&temps);
        return Err(e);
    }
    test_hold("BROADSHEET_TEST_HOLD_WRITE_MS");
    // Stage 2: outputs written through (devices, pipes, hard links). A
    // failure here still leaves every replaced file untouched.
    for (o, bytes) in outputs.iter().zip(contents) {
        let result = match o.method {
            Method::Replace { .. } => continue,
            Method::Truncate => OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&o.real)
                .and_then(|mut f| f.write_all(bytes).and_then(|_| f.sync_all())),
            Method::Stream => OpenOptions::new()
                .write(true)
                .open(&o.real)
                .and_then(|mut f| f.write_all(bytes).and_then(|_| f.flush())),
        };
        if let Err(e) = result {
            discard(&temps);
            return Err(io(o)(e));
        }
    }
    // Stage 3: the renames.
    for (o, tmp) in outputs.iter().zip(&temps) {
        let Some(tmp) = tmp else { continue };
        if let Err(e) = std::fs::rename(tmp, &o.real) {
            discard(&temps);
            return Err(io(o)(e));
        }
        forget(tmp);
    }
    Ok(())
}

/// Plan and write one output that no input can collide with (tests, tools).
pub fn write_one(role: &'static str, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let planned = plan(&[(role, path)], &[])?;
    write_all(&planned, &[bytes])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("broadsheet-outfile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_long_output_name_still_gets_a_temporary_file() {
        let d = scratch("long");
        let name = format!("{}.pdf", "x".repeat(251));
        assert_eq!(name.len(), 255);
        write_one("PDF", &d.join(&name), b"%PDF").unwrap();
        assert_eq!(std::fs::read(d.join(&name)).unwrap(), b"%PDF");
    }

    #[cfg(unix)]
    #[test]
    fn replacing_keeps_the_mode_and_hard_links_stay_linked() {
        use std::os::unix::fs::PermissionsExt;
        let d = scratch("mode");
        let f = d.join("a.pdf");
        std::fs::write(&f, b"old").unwrap();
        std::fs::set_permissions(&f, Permissions::from_mode(0o600)).unwrap();
        write_one("PDF", &f, b"new").unwrap();
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        let link = d.join("b.pdf");
        std::fs::hard_link(&f, &link).unwrap();
        write_one("PDF", &link, b"newer").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"newer");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_not_replaced() {
        let d = scratch("symlink");
        let target = d.join("real.pdf");
        std::fs::write(&target, b"old").unwrap();
        let link = d.join("link.pdf");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_one("PDF", &link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
    }

    #[test]
    fn an_input_is_refused_by_identity() {
        let d = scratch("input");
        let input = d.join("articles.md");
        std::fs::write(&input, b"# x").unwrap();
        // Another spelling of the same path.
        let other = d.join(".").join("articles.md");
        let err = plan(
            &[("PDF", &other)],
            &[Input::new("the article file", &input)],
        )
        .unwrap_err();
        assert!(matches!(err, OutputError::IsInput { .. }), "{err}");
        assert_eq!(std::fs::read(&input).unwrap(), b"# x");
    }

    #[test]
    fn two_outputs_on_one_file_are_refused() {
        let d = scratch("twice");
        let p = d.join("x.pdf");
        let err = plan(&[("PDF", &p), ("layout dump", &d.join("./x.pdf"))], &[]).unwrap_err();
        assert!(matches!(err, OutputError::SameFile { .. }), "{err}");
    }

    #[test]
    fn nothing_is_written_when_one_output_fails() {
        let d = scratch("all-or-nothing");
        let good = d.join("good.pdf");
        std::fs::write(&good, b"old").unwrap();
        let sub = d.join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        let bad = sub.join("dump.json");
        let planned = plan(&[("PDF", &good), ("layout dump", &bad)], &[]).unwrap();
        // The second output's folder disappears between planning and writing.
        std::fs::remove_dir_all(&sub).unwrap();
        assert!(write_all(&planned, &[b"new", b"{}"]).is_err());
        assert_eq!(std::fs::read(&good).unwrap(), b"old");
        let left: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left behind");
    }
}
