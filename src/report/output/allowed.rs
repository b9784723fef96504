//! Which paths may be an output folder: never the current directory, a folder that contains it,
//! the root or the home directory, however they are spelled (`.`, `..`, `a/..`, an absolute path,
//! a symbolic link to one of them).

use std::io;
use std::path::{Component, Path, PathBuf};

/// `path` made absolute against `cwd`, with the part that exists resolved by the file system
/// (symbolic links followed, `..` applied to the real parent) and the rest applied as written.
pub fn resolve(path: &Path, cwd: &Path) -> io::Result<PathBuf> {
    let absolute = cwd.join(path);
    let mut resolved = PathBuf::new();
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component.as_os_str()),
            Component::CurDir => {}
            // `resolved` is canonical while it exists, and what does not exist cannot be a
            // symbolic link: in both cases its parent is the real one.
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if exists {
                    match resolved.canonicalize() {
                        Ok(real) => resolved = real,
                        Err(e) if ends_the_existing_part(&e) => exists = false,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    Ok(resolved)
}

/// Errors that mean "from here on the path does not exist (as a folder)".
fn ends_the_existing_part(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// Why `resolved` (from [`resolve`]) must not be an output folder, if it must not.
///
/// `cwd` and `home` are canonical. albsim replaces its output folder as a whole, so the folder
/// can hold nothing else the user cares about.
pub fn refusal(resolved: &Path, cwd: &Path, home: Option<&Path>) -> Option<&'static str> {
    if resolved.file_name().is_none() {
        Some("this is the root directory")
    } else if resolved == cwd {
        Some("this is the current directory")
    } else if cwd.starts_with(resolved) {
        Some("this folder contains the current directory")
    } else if home == Some(resolved) {
        Some("this is your home directory")
    } else if home.is_some_and(|h| h.starts_with(resolved)) {
        Some("this folder contains your home directory")
    } else {
        None
    }
}

/// The home directory, resolved, if it is known and exists.
pub fn home_dir() -> Option<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    let home = std::env::var_os(var).filter(|h| !h.is_empty())?;
    PathBuf::from(home).canonicalize().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn dots_and_links_resolve_to_the_real_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().canonicalize().unwrap();
        fs::create_dir(cwd.join("a")).unwrap();
        assert_eq!(resolve(Path::new("."), &cwd).unwrap(), cwd);
        assert_eq!(resolve(Path::new("a/.."), &cwd).unwrap(), cwd);
        assert_eq!(resolve(Path::new("new/.."), &cwd).unwrap(), cwd);
        assert_eq!(resolve(Path::new("new/x/../.."), &cwd).unwrap(), cwd);
        assert_eq!(
            resolve(Path::new(".."), &cwd).unwrap(),
            cwd.parent().unwrap()
        );
        assert_eq!(resolve(Path::new("a/b"), &cwd).unwrap(), cwd.join("a/b"));
        assert_eq!(resolve(&cwd.join("a/./b"), &cwd).unwrap(), cwd.join("a/b"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&cwd, cwd.join("a/here")).unwrap();
            assert_eq!(resolve(Path::new("a/here"), &cwd).unwrap(), cwd);
            std::os::unix::fs::symlink("/", cwd.join("a/root")).unwrap();
            assert_eq!(
                resolve(Path::new("a/root/.."), &cwd).unwrap(),
                Path::new("/")
            );
        }
    }

    #[test]
    fn a_path_through_a_file_is_not_an_error_here() {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().canonicalize().unwrap();
        fs::write(cwd.join("f"), "x").unwrap();
        assert_eq!(resolve(Path::new("f/x"), &cwd).unwrap(), cwd.join("f/x"));
    }

    #[test]
    fn the_current_directory_its_ancestors_root_and_home_are_refused() {
        let cwd = Path::new("/work/project");
        let home = Some(Path::new("/home/me"));
        let refused = |p: &str| refusal(Path::new(p), cwd, home);
        assert_eq!(refused("/"), Some("this is the root directory"));
        assert_eq!(
            refused("/work/project"),
            Some("this is the current directory")
        );
        assert_eq!(
            refused("/work"),
            Some("this folder contains the current directory")
        );
        assert_eq!(refused("/home/me"), Some("this is your home directory"));
        assert_eq!(
            refused("/home"),
            Some("this folder contains your home directory")
        );
        assert_eq!(refused("/work/project/output/q"), None);
        assert_eq!(refused("/work/other"), None);
        assert_eq!(
            refused("/work/projects"),
            None,
            "a sibling with a longer name"
        );
        assert_eq!(refused("/home/me/results"), None);
        assert_eq!(refusal(Path::new("/work"), Path::new("/tmp/x"), None), None);
    }
}
