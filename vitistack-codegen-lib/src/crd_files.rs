//! Reading CRD files: a file named on the command line, or a directory walked for YAML and JSON
//! files (`compat` and `lint` read their inputs the same way).

use std::path::{Path, PathBuf};

/// The texts of the files at `path` (a file, read whatever its extension, or a directory walked
/// for `*.yaml`, `*.yml` and `*.json`, sorted, skipping hidden entries), as `(name, text)`; the
/// error names the file.
pub(crate) fn texts(path: &Path) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    collect(path, true, &mut files)?;
    files.into_iter().map(|f| read_text(&f)).collect()
}

fn collect(path: &Path, named: bool, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort();
        for entry in entries {
            let hidden = entry
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden {
                collect(&entry, false, out)?;
            }
        }
    } else if named || has_crd_extension(path) {
        // A file named on the command line is read whatever its extension.
        out.push(path.to_owned());
    }
    Ok(())
}

/// Whether a file found in a directory is read: `*.yaml`, `*.yml`, `*.json`.
pub(crate) fn has_crd_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
}

fn read_text(path: &Path) -> Result<(String, String), String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    Ok((name, text))
}
