//! Linux's atomic exchange of two paths, `renameat2(…, RENAME_EXCHANGE)`: both must exist, and
//! afterwards each names what the other named, with no moment at which either is missing.

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Exchanges the files or folders `a` and `b` atomically.
pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are NUL-terminated strings that live across the call; AT_FDCWD makes relative
    // paths relative to the current directory, as for `std::fs::rename`.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Whether `e` says that this kernel or file system cannot exchange (so renames must do).
pub fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn two_folders_trade_places() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("from-a"), "").unwrap();
        fs::write(b.join("from-b"), "").unwrap();
        match exchange(&a, &b) {
            Err(e) if unsupported(&e) => return, // e.g. an overlay file system: renames do
            r => r.unwrap(),
        }
        assert!(a.join("from-b").exists() && b.join("from-a").exists());
        assert!(!a.join("from-a").exists() && !b.join("from-b").exists());
        let e = exchange(&a, &tmp.path().join("missing")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }
}
