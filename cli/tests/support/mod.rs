//! The library's test helpers, and the `evcat` binary this package builds.

#![allow(dead_code)] // each test binary uses part of this module

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;

#[path = "../../../codegen/tests/support/mod.rs"]
mod library;

pub use library::*;

/// The `evcat` binary of this build, run in `dir`.
pub fn evcat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_evcat"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("evcat runs")
}

/// The library's package folder, whose tests/ hold the fixtures and the
/// bad inputs these tests run the command on.
pub fn library_dir() -> std::path::PathBuf {
    workspace_root().join("codegen")
}

/// A long-running `evcat` (a Kafka member, an outbox follower), its
/// standard output and errors read as they come so it never blocks on a
/// full pipe.
pub struct Running {
    pub child: Child,
    output: JoinHandle<(Vec<u8>, Vec<u8>)>,
}

impl Running {
    /// `command` started with its output piped.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("evcat runs");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut stderr = child.stderr.take().expect("stderr");
        let output = std::thread::spawn(move || {
            let errors = std::thread::spawn(move || {
                let mut text = Vec::new();
                let _ = stderr.read_to_end(&mut text);
                text
            });
            let mut text = Vec::new();
            let _ = stdout.read_to_end(&mut text);
            (text, errors.join().unwrap_or_default())
        });
        Self { child, output }
    }

    /// Sends `signal` (`-KILL`, `-TERM`) to the process.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal}");
    }

    /// Waits for the process to end: its exit code, output and errors.
    pub fn finish(self) -> (Option<i32>, Vec<u8>, String) {
        let Running { mut child, output } = self;
        let code = child.wait().expect("evcat ends").code();
        let (stdout, stderr) = output.join().expect("output read");
        (code, stdout, String::from_utf8_lossy(&stderr).into_owned())
    }

    /// The output and errors of a process that has ended.
    pub fn output(self) -> (Vec<u8>, String) {
        let (stdout, stderr) = self.output.join().expect("output read");
        (stdout, String::from_utf8_lossy(&stderr).into_owned())
    }
}
