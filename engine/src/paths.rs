//! File paths of stages resolve under the node's data directory. A path that would leave it
//! (`..`, an absolute path elsewhere, a symbolic link pointing out) is refused.

use std::path::{Component, Path, PathBuf};

use crate::error::{EngineError, EngineResult};

fn is_glob(path: &str) -> bool {
    path.contains(['*', '?', '['])
}

/// Resolve `path` (relative to `data_dir`, or absolute inside it) for reading or writing.
pub fn resolve(data_dir: &Path, stage: &str, path: &str) -> EngineResult<PathBuf> {
    let refuse = |why: &str| {
        EngineError::option(stage, "path", format!("{path:?} {why}; paths stay inside the data directory"))
    };
    if path.trim().is_empty() {
        return Err(EngineError::option(stage, "path", "the path is empty"));
    }
    let given = Path::new(path);
    if given.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(refuse("contains '..'"));
    }
    let root = data_dir.canonicalize().map_err(|e| {
        EngineError::external(
            Some(stage),
            format!("the data directory {} is not usable: {e}", data_dir.display()),
        )
    })?;
    let joined = if given.is_absolute() { given.to_path_buf() } else { root.join(given) };
    // The part before any glob character must exist-or-be-creatable inside the root; symbolic
    // links are followed through the longest existing prefix.
    let literal: PathBuf =
        joined.components().take_while(|c| !is_glob(&c.as_os_str().to_string_lossy())).collect();
    let mut existing = literal.as_path();
    while !existing.exists() {
        match existing.parent() {
            Some(parent) => existing = parent,
            None => break,
        }
    }
    let real = existing
        .canonicalize()
        .map_err(|e| EngineError::external(Some(stage), format!("cannot resolve {path:?}: {e}")))?;
    if !real.starts_with(&root) {
        return Err(refuse(if given.is_absolute() {
            "is outside the data directory"
        } else {
            "leads outside through a link"
        }));
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_inside_absolute_paths_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(resolve(dir.path(), "s", "in/orders.csv").unwrap(), root.join("in/orders.csv"));
        assert_eq!(resolve(dir.path(), "s", "in/*.csv").unwrap(), root.join("in/*.csv"));
        let inside = root.join("x.csv");
        assert_eq!(resolve(dir.path(), "s", inside.to_str().unwrap()).unwrap(), inside);
    }

    #[test]
    fn escapes_are_refused_with_the_option_named() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../secret.csv", "in/../../x", "/etc/passwd", ""] {
            let err = resolve(dir.path(), "read", bad).unwrap_err();
            assert_eq!(err.path.as_deref(), Some("options.path"), "{bad}");
            assert_eq!(err.stage.as_deref(), Some("read"));
        }
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        let err = resolve(dir.path(), "read", "link/data.csv").unwrap_err();
        assert!(err.message.contains("link"), "{}", err.message);
    }
}
