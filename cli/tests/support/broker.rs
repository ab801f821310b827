//! A Kafka-protocol broker of the test's own: tansu with in-memory storage
//! on a free port of 127.0.0.1, stopped when the test ends. The test
//! command installs tansu (scripts/test.sh); `EVCAT_TANSU` names another
//! binary.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Broker {
    child: Child,
    pub address: String,
}

/// The tansu binary: `EVCAT_TANSU`, else `tansu` on the PATH, else cargo's
/// bin folder.
fn tansu() -> PathBuf {
    if let Some(path) = std::env::var_os("EVCAT_TANSU") {
        return PathBuf::from(path);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|folder| folder.join("tansu"))
        .find(|path| path.is_file());
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin/tansu"));
    on_path
        .or(in_cargo_home.filter(|path| path.is_file()))
        .expect("tansu is not installed: scripts/test.sh installs it (cargo install tansu --features dynostore --locked)")
}

impl Broker {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let url = format!("tcp://127.0.0.1:{port}");
        let child = Command::new(tansu())
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
            ])
            .args(["--storage-engine", "memory://tansu/"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tansu starts");
        let address = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&address).is_err() {
            assert!(
                Instant::now() < deadline,
                "tansu did not listen at {address}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, address }
    }

    /// Creates a topic of `partitions` partitions.
    pub fn create_topic(&self, name: &str, partitions: u32) {
        let status = Command::new(tansu())
            .args(["topic", "create", name, "--partitions"])
            .arg(partitions.to_string())
            .args(["--broker", &format!("tcp://{}", self.address)])
            .stdout(Stdio::null())
            .status()
            .expect("tansu topic create runs");
        assert!(status.success(), "tansu could not create topic {name}");
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
