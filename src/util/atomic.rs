//! Writing a file so that readers see the old content or the new, never a
//! part: a temporary file beside it, flushed, then renamed over it.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically. On failure the temporary file is
/// removed and `path` is as it was.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, |out| out.write_all(bytes))
}

/// Write to `path` atomically what `fill` writes, without holding it all
/// in memory first; on failure (`fill`'s too) as [`write`].
pub fn write_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    let temp = temp_beside(path);
    let result = (|| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&temp)?);
        fill(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The temporary file a write of `path` goes through first: hidden, in the
/// same folder (so the rename is atomic), named by this process.
pub fn temp_beside(path: &Path) -> std::path::PathBuf {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}
