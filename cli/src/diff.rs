//! `evcat diff`: two versions of a catalog compared, each change printed
//! with its event and field and classified compatible or breaking.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use evcat::contract::{diff, Compatibility, Contract};

/// Where the old catalog comes from.
pub enum Old<'a> {
    File(&'a Path),
    /// The new catalog's folder as it was at a git revision.
    Git(&'a str),
}

/// Envelope schemas named on the command line; otherwise each catalog's
/// is the one beside it.
pub struct Envelopes<'a> {
    pub old: Option<&'a Path>,
    pub new: Option<&'a Path>,
}

fn builder(catalog: &Path, envelope: Option<&Path>) -> evcat::Builder {
    let builder = evcat::Builder::new(catalog);
    match envelope {
        Some(envelope) => builder.envelope(envelope),
        None => builder,
    }
}

/// Prints the changes; `Ok(true)` when none is breaking.
pub fn run(
    old: Old<'_>,
    new: &Path,
    envelopes: Envelopes<'_>,
    json: bool,
) -> Result<bool, evcat::Error> {
    let new_compiled = builder(new, envelopes.new).compile()?;
    eprint!("{}", new_compiled.warnings);
    let (old_compiled, old_name) = match old {
        Old::File(path) => (
            builder(path, envelopes.old).compile()?,
            path.display().to_string(),
        ),
        Old::Git(revision) => {
            let checkout = checkout(revision, new)?;
            let catalog = checkout.path().join(file_name(new));
            (
                builder(&catalog, envelopes.old).compile()?,
                format!("{}:{}", revision, new.display()),
            )
        }
    };
    let changes = diff(
        &Contract::of(&old_compiled.catalog),
        &Contract::of(&new_compiled.catalog),
    );
    let breaking = changes
        .iter()
        .filter(|change| change.compatibility == Compatibility::Breaking)
        .count();
    let compatible = changes.len() - breaking;
    let io_error = |source| evcat::Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let document = serde_json::json!({
            "old": old_name,
            "new": new.display().to_string(),
            "changes": changes,
            "summary": {"breaking": breaking, "compatible": compatible},
        });
        writeln!(out, "{document}").map_err(io_error)?;
    } else {
        for change in &changes {
            writeln!(
                out,
                "{}: {}: {}",
                change.compatibility.as_str(),
                change.subject(),
                change.message
            )
            .map_err(io_error)?;
        }
        writeln!(
            out,
            "{old_name} → {}: {} changes, {breaking} breaking, {compatible} compatible",
            new.display(),
            changes.len()
        )
        .map_err(io_error)?;
    }
    Ok(breaking == 0)
}

fn file_name(path: &Path) -> PathBuf {
    path.file_name()
        .map_or_else(|| "catalog.md".into(), PathBuf::from)
}

/// The folder holding `catalog` as it was at `revision`, in a temporary
/// directory: the old catalog with its envelope, data model and examples.
fn checkout(revision: &str, catalog: &Path) -> Result<tempfile::TempDir, evcat::Error> {
    let folder = match catalog.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let failed = |message: String| evcat::Error::Io {
        path: catalog.to_owned(),
        source: std::io::Error::other(message),
    };
    let git = |args: &[&str]| -> Result<String, evcat::Error> {
        let output = Command::new("git")
            .arg("-C")
            .arg(&folder)
            .args(args)
            .output()
            .map_err(|error| failed(format!("cannot run git: {error}")))?;
        if !output.status.success() {
            return Err(failed(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let directory = tempfile::tempdir().map_err(|source| evcat::Error::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let archive = directory.path().join("old.tar");
    let archive_arg = format!("--output={}", archive.display());
    let tree = format!("{revision}:{prefix}");
    git(&["-C", &top, "archive", "--format=tar", &archive_arg, &tree])?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(directory.path())
        .status()
        .map_err(|error| failed(format!("cannot run tar: {error}")))?;
    if !status.success() {
        return Err(failed(format!("could not unpack {tree}")));
    }
    Ok(directory)
}
