//! A PostgreSQL server of the test's own: a cluster made with `initdb` in a
//! temporary folder, listening on a free port of 127.0.0.1, stopped and
//! removed when the test ends. The test command installs Debian's
//! `postgresql` where it is missing (scripts/test.sh); `EVCAT_PG_BINDIR`
//! names another folder of its programs. `initdb` refuses to run as root,
//! so as root the cluster is made and run as the `postgres` user.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A running cluster; dropped, it stops.
pub struct Cluster {
    bin: PathBuf,
    folder: PathBuf,
    port: u16,
}

/// The folder of `initdb` and `pg_ctl`: `EVCAT_PG_BINDIR`, else the newest
/// of Debian's `/usr/lib/postgresql/*/bin`.
fn bin_folder() -> PathBuf {
    if let Some(folder) = std::env::var_os("EVCAT_PG_BINDIR") {
        return PathBuf::from(folder);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .expect("PostgreSQL is not installed: scripts/test.sh installs Debian's postgresql")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// `program` of the cluster's folder, run as `postgres` when we are root.
fn command(bin: &Path, program: &str) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

fn run(mut command: Command, what: &str) {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("{what}: {error}"));
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Cluster {
    /// A new cluster, started; its superuser `postgres` connects without a
    /// password.
    pub fn start() -> Self {
        let bin = bin_folder();
        let folder = std::env::temp_dir().join(format!(
            "evcat-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |time| time.as_nanos())
        ));
        std::fs::create_dir_all(&folder).expect("a folder for the cluster");
        if is_root() {
            run(
                {
                    let mut chown = Command::new("chown");
                    chown.arg("postgres").arg(&folder);
                    chown
                },
                "chown of the cluster's folder",
            );
        }
        let data = folder.join("data");
        let mut initdb = command(&bin, "initdb");
        initdb.arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        run(initdb, "initdb");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let mut start = command(&bin, "pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-o")
            .arg(format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
                folder.display()
            ))
            .arg("-l")
            .arg(folder.join("server.log"))
            .args(["-w", "start"]);
        run(start, "pg_ctl start");
        Self { bin, folder, port }
    }

    /// A connection string for database `name` (`postgres` exists).
    pub fn url(&self, name: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=postgres dbname={name}",
            self.port
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut stop = command(&self.bin, "pg_ctl");
        stop.arg("-D")
            .arg(self.folder.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let _ = stop.status();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}
