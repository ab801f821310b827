//! Each folder of `tests/fixtures/` holds a catalog (with its envelope and
//! maybe a data model) and, under `expected/`, the outputs evcat must write.
//! `expected/warnings.txt` holds the warnings of a fixture that has some.
//! `UPDATE_EXPECT=1 cargo test -p evcat --test snapshots` rewrites them;
//! read the diff before committing.

use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable fixtures folder").path())
        .filter(|path| path.join("catalog.md").is_file())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn generated_outputs_match_the_checked_in_snapshots() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 5,
        "expected the fixture catalogs, found {fixtures:?}"
    );
    for dir in fixtures {
        let generated = evcat::Builder::new(dir.join("catalog.md"))
            .generate()
            .unwrap_or_else(|error| panic!("{} should generate:\n{error}", dir.display()));
        // Warnings are part of the snapshot: a fixture has none unless its
        // `expected/warnings.txt` lists them (paths from the fixture's folder).
        let warnings = generated
            .warnings
            .replace(&format!("{}/", dir.display()), "");
        let listed = dir.join("expected/warnings.txt");
        if !warnings.is_empty() || listed.is_file() {
            expect_test::expect_file![listed].assert_eq(&warnings);
        }
        for file in &generated.files {
            let expected = dir.join("expected").join(&file.path);
            if std::env::var_os("UPDATE_EXPECT").is_some() {
                std::fs::create_dir_all(expected.parent().expect("expected files are in a folder"))
                    .expect("can create snapshot folders");
            }
            expect_test::expect_file![expected].assert_eq(&file.contents);
        }
    }
}

#[test]
fn generation_is_deterministic() {
    for dir in fixtures() {
        let first = evcat::Builder::new(dir.join("catalog.md"))
            .generate()
            .expect("fixture generates");
        let second = evcat::Builder::new(dir.join("catalog.md"))
            .generate()
            .expect("fixture generates");
        assert_eq!(
            first.files,
            second.files,
            "{} differs between two runs",
            dir.display()
        );
    }
}
