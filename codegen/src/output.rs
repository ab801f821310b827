//! Writing outputs (all files staged first, then renamed into place), and
//! comparing them with what is on disk for CI's check-only mode.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;

/// A file that could not be written, read or removed: the library's
/// [`Error::Io`](crate::Error::Io) once it leaves this module.
#[derive(Debug)]
pub struct Error {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Writes `files` under `out`; with `only_changed`, files whose content is
/// the same are left alone. Files that evcat wrote before in the same
/// folders but no longer produces (a removed event's schema) are deleted.
pub fn write_files(
    out: &Path,
    files: &[GeneratedFile],
    only_changed: bool,
) -> Result<Vec<PathBuf>, Error> {
    let mut written = stage_and_rename(out, files, only_changed)?;
    for obsolete in obsolete_files(out, files) {
        fs::remove_file(&obsolete).map_err(|source| Error {
            path: obsolete.clone(),
            source,
        })?;
        written.push(obsolete);
    }
    Ok(written)
}

/// Writes `files` under `out` and touches nothing else there (`evcat init`
/// into a folder that holds other files).
pub fn write_new_files(out: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, Error> {
    stage_and_rename(out, files, false)
}

/// A file written to its temporary, and where it goes.
type Staged = (PathBuf, PathBuf);

/// Every file is written to a temporary beside its target first; only when
/// all are staged are they renamed into place, so a failed run leaves no
/// half-written output. Files are staged and renamed by a thread per core:
/// a large catalog is 20,000 files, and creating a file costs the kernel
/// far more than writing its bytes.
fn stage_and_rename(
    out: &Path,
    files: &[GeneratedFile],
    only_changed: bool,
) -> Result<Vec<PathBuf>, Error> {
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |source| Error { path, source }
    };
    let changed: Vec<(PathBuf, &GeneratedFile)> = files
        .iter()
        .map(|file| (out.join(&file.path), file))
        .filter(|(target, file)| {
            !only_changed
                || fs::read(target).map_or(true, |existing| existing != file.contents.as_bytes())
        })
        .collect();
    let folders: BTreeSet<&Path> = changed
        .iter()
        .map(|(target, _)| target.parent().unwrap_or(out))
        .collect();
    for folder in folders {
        fs::create_dir_all(folder).map_err(io_error(folder))?;
    }
    // Each share stages its files and stops at its first error; what any
    // share staged is removed again when one failed.
    let (staged, errors): (Vec<Vec<Staged>>, Vec<Option<Error>>) = in_parallel(&changed, |share| {
        let mut staged = Vec::new();
        for (target, file) in share {
            let temporary = temporary_path(target);
            if let Err(source) = fs::write(&temporary, &file.contents) {
                let error = Error {
                    path: temporary,
                    source,
                };
                return (staged, Some(error));
            }
            staged.push((temporary, target.clone()));
        }
        (staged, None)
    })
    .into_iter()
    .unzip();
    let staged: Vec<Staged> = staged.into_iter().flatten().collect();
    if let Some(error) = errors.into_iter().flatten().next() {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(error);
    }
    in_parallel(&staged, |share| {
        share.iter().try_for_each(|(temporary, target)| {
            fs::rename(temporary, target).map_err(io_error(target))
        })
    })
    .into_iter()
    .collect::<Result<(), Error>>()?;
    Ok(staged.into_iter().map(|(_, target)| target).collect())
}

/// `work` on `items` split into a share per core, each on a thread of its
/// own; the results in the order of the shares.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let share = items.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(share)
            .map(|items| scope.spawn(move || work(items)))
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("file work does not panic"))
            .collect()
    })
}

/// How a file on disk differs from the generated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// Not on disk.
    Missing,
    /// On disk but no longer generated.
    Obsolete,
    /// The first line that differs (1-based), generated and on disk.
    Differs {
        line: usize,
        expected: String,
        found: String,
    },
}

/// Every file under `out` that differs from `files`, in path order.
pub fn drift(out: &Path, files: &[GeneratedFile]) -> Vec<(PathBuf, Drift)> {
    let mut found: Vec<(PathBuf, Drift)> = files
        .iter()
        .filter_map(|file| {
            let path = out.join(&file.path);
            match fs::read(&path) {
                Err(_) => Some((path, Drift::Missing)),
                Ok(bytes) if bytes == file.contents.as_bytes() => None,
                Ok(bytes) => Some((
                    path,
                    first_difference(&file.contents, &String::from_utf8_lossy(&bytes)),
                )),
            }
        })
        .collect();
    found.extend(
        obsolete_files(out, files)
            .into_iter()
            .map(|path| (path, Drift::Obsolete)),
    );
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn first_difference(expected: &str, found: &str) -> Drift {
    let mut expected_lines = expected.split('\n');
    let mut found_lines = found.split('\n');
    let mut line = 1;
    loop {
        match (expected_lines.next(), found_lines.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (a, b) => {
                return Drift::Differs {
                    line,
                    expected: a.unwrap_or("(end of file)").to_owned(),
                    found: b.unwrap_or("(end of file)").to_owned(),
                }
            }
        }
    }
}

/// Per-event files (`*.schema.json`, `*.example.json`) in the folders evcat
/// writes that it does not produce now: a removed event's outputs. Nothing
/// else is ever deleted, so an output folder may hold files of its own.
fn obsolete_files(out: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let produced: BTreeSet<PathBuf> = files.iter().map(|file| out.join(&file.path)).collect();
    let folders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|file| {
            Path::new(&file.path)
                .parent()
                .map(|parent| out.join(parent))
        })
        .collect();
    let mut obsolete = Vec::new();
    for folder in folders {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let per_event = PER_EVENT_SUFFIXES
                .iter()
                .any(|suffix| name.ends_with(suffix));
            if per_event && path.is_file() && !produced.contains(&path) && !name.starts_with('.') {
                obsolete.push(path);
            }
        }
    }
    obsolete.sort();
    obsolete
}

/// The kinds of file evcat writes one per event.
const PER_EVENT_SUFFIXES: &[&str] = &[".schema.json", ".example.json"];

fn temporary_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.evcat-{}.tmp", std::process::id()))
}
