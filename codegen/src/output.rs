//! Writing outputs: all files staged first, then renamed into place.

use std::fs;
use std::path::{Path, PathBuf};

use crate::builder::Error;
use crate::emit::GeneratedFile;

pub fn write_files(
    out: &Path,
    files: &[GeneratedFile],
    only_changed: bool,
) -> Result<Vec<PathBuf>, Error> {
    let io_error = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for file in files {
            let target = out.join(&file.path);
            if only_changed
                && fs::read(&target).is_ok_and(|existing| existing == file.contents.as_bytes())
            {
                continue;
            }
            let parent = target.parent().unwrap_or(out);
            fs::create_dir_all(parent).map_err(io_error(parent))?;
            let temporary = temporary_path(&target);
            fs::write(&temporary, &file.contents).map_err(io_error(&temporary))?;
            staged.push((temporary, target));
        }
        Ok::<(), Error>(())
    })();
    if let Err(error) = result {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(error);
    }
    let mut written = Vec::new();
    for (temporary, target) in staged {
        fs::rename(&temporary, &target).map_err(io_error(&target))?;
        written.push(target);
    }
    Ok(written)
}

fn temporary_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.evcat-{}.tmp", std::process::id()))
}
