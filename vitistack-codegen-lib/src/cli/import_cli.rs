//! `import`: Rust types for CRDs someone else owns ([`crate::import`]).

use std::path::PathBuf;

use clap::Args;

use super::Failure;
use crate::import::{import_crds, rustfmt};

/// `import PATH... --out DIR`.
#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// CRD files (YAML, multi-document streams, or JSON) or directories (walked recursively
    /// for *.yaml, *.yml and *.json; other documents are skipped).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// The directory the modules and mod.rs are written to (created if missing; files of the
    /// same names are overwritten, others are left alone).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub(crate) fn run(args: &ImportArgs) -> Result<(), Failure> {
    let mut crds = Vec::new();
    for path in &args.paths {
        let loaded = crate::compat::load(path).map_err(|e| Failure::Error(e.0))?;
        crds.extend(loaded.into_iter().map(|c| c.crd));
    }
    let files = import_crds(&crds).map_err(|errors| Failure::Error(errors.join("\n")))?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::Error(format!("{}: {e}", args.out.display())))?;
    for file in files {
        let source = rustfmt(&file.source).map_err(Failure::Error)?;
        let path = args.out.join(&file.name);
        std::fs::write(&path, source)
            .map_err(|e| Failure::Error(format!("{}: {e}", path.display())))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
