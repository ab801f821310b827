//! `evcat validate --kafka` against the floor, in one run on one topic:
//! a tansu broker of its own (in-memory storage), a topic of 4 partitions
//! filled with N valid, distinct events of the project's catalog keyed by
//! aggregate id, then
//! - the floor: bare rdkafka consumers of one group that only read (one
//!   member, then two),
//! - `evcat validate --kafka` with one member, then two in one group,
//!   timed from the first record checked to the last (`/metrics`), with the
//!   member's resident memory sampled as it goes.
//!
//! Usage: `kafka_throughput EVENTS EVCAT [WINDOW]` (scripts/bench-kafka.sh);
//! WINDOW is evcat's `--window`. The broker is the tests' own
//! (`cli/tests/support/broker.rs`): tansu from `EVCAT_TANSU`, the PATH or
//! cargo's bin folder.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::ClientConfig;

#[path = "../../cli/tests/support/broker.rs"]
mod broker;

use broker::Broker;

const TOPIC: &str = "bench";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (events, evcat, window) = match args.as_slice() {
        [_, events, evcat] => (events, evcat, "1000000"),
        [_, events, evcat, window] => (events, evcat, window.as_str()),
        _ => {
            eprintln!("usage: kafka_throughput EVENTS EVCAT [WINDOW]");
            std::process::exit(2);
        }
    };
    let events: usize = events.parse().expect("EVENTS is a number");
    let broker = Broker::start();
    broker.create_topic(TOPIC, 4);
    let address = broker.address.clone();

    let fill = Instant::now();
    fill_topic(&address, events);
    println!(
        "filled {events} events in {:.1} s",
        fill.elapsed().as_secs_f64()
    );

    let floor_one = floor(&address, "floor-one", 1, events);
    let floor_two = floor(&address, "floor-two", 2, events);
    let (evcat_one, memory_one) = members(evcat, &address, "evcat-one", 1, events, window);
    let (evcat_two, memory_two) = members(evcat, &address, "evcat-two", 2, events, window);
    drop(broker);

    let rate = |seconds: f64| events as f64 / seconds;
    println!("events: {events}, 4 partitions, tansu in memory, evcat --window {window}");
    println!(
        "floor (rdkafka, read only), one member:  {:>10.0} events/s",
        rate(floor_one)
    );
    println!(
        "floor (rdkafka, read only), two members: {:>10.0} events/s",
        rate(floor_two)
    );
    println!(
        "evcat validate --kafka, one member:      {:>10.0} events/s  ({:.2}x the floor's time)",
        rate(evcat_one),
        evcat_one / floor_one
    );
    println!(
        "evcat validate --kafka, two members:     {:>10.0} events/s  ({:.2}x the floor's time)",
        rate(evcat_two),
        evcat_two / floor_two
    );
    for (label, samples) in [("one member", memory_one), ("two members", memory_two)] {
        let shown: Vec<String> = samples
            .iter()
            .map(|(done, kib)| format!("{:.0}%: {:.1} MiB", done * 100.0, *kib as f64 / 1024.0))
            .collect();
        println!(
            "resident memory, {label} (first member): {}",
            shown.join(", ")
        );
    }
}

/// N valid, distinct events of the project's catalog, keyed by aggregate id.
fn fill_topic(address: &str, events: usize) {
    let compiled = evcat::Builder::new("contracts/catalog.md")
        .compile()
        .expect("the project's catalog");
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", address)
        .set("linger.ms", "20")
        .set("batch.num.messages", "10000")
        .set("queue.buffering.max.messages", "1000000")
        .create()
        .expect("a producer");
    for event in evcat_bench::distinct_stream(&compiled).take(events) {
        let key = event["aggregate_id"]
            .as_str()
            .expect("an aggregate")
            .to_owned();
        let value = event.to_string();
        let mut record = BaseRecord::to(TOPIC)
            .key(key.as_str())
            .payload(value.as_str());
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((_, back)) => {
                    record = back;
                    producer.poll(Duration::from_millis(10));
                }
            }
        }
        producer.poll(Duration::ZERO);
    }
    producer
        .flush(Duration::from_secs(300))
        .expect("every event acknowledged");
}

/// Seconds from the first record to the last, for `members` bare
/// consumers of one group reading `events` records between them.
fn floor(address: &str, group: &str, members: usize, events: usize) -> f64 {
    let read = std::sync::atomic::AtomicUsize::new(0);
    let first: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..members {
            scope.spawn(|| {
                let consumer: BaseConsumer = ClientConfig::new()
                    .set("bootstrap.servers", address)
                    .set("group.id", group)
                    .set("auto.offset.reset", "earliest")
                    .set("enable.auto.commit", "false")
                    .create()
                    .expect("a consumer");
                consumer.subscribe(&[TOPIC]).expect("subscribed");
                while read.load(std::sync::atomic::Ordering::Relaxed) < events {
                    if let Some(Ok(_)) = consumer.poll(Duration::from_millis(100)) {
                        first
                            .lock()
                            .expect("a lock")
                            .get_or_insert_with(Instant::now);
                        read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let first = first.lock().expect("a lock").expect("records were read");
    first.elapsed().as_secs_f64()
}

/// `evcat_records_total` of a member's `/metrics`.
fn records_checked(port: u16) -> Option<usize> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .ok()?;
    let mut text = String::new();
    stream.read_to_string(&mut text).ok()?;
    text.lines()
        .find(|line| line.starts_with("evcat_records_total"))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|count| count.parse().ok())
}

fn resident_kib(child: &Child) -> u64 {
    std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// Seconds from the first record checked to the last, for `count` evcat
/// members of one group; the first member's resident memory at each tenth
/// of the way.
fn members(
    evcat: &str,
    address: &str,
    group: &str,
    count: usize,
    events: usize,
    window: &str,
) -> (f64, Vec<(f64, u64)>) {
    let ports: Vec<u16> = (0..count).map(|_| free_port()).collect();
    let mut children: Vec<Child> = ports
        .iter()
        .map(|port| {
            Command::new(evcat)
                .args([
                    "validate",
                    "contracts",
                    "--kafka",
                    address,
                    "--topic",
                    TOPIC,
                ])
                .args(["--group", group, "--metrics", &format!("127.0.0.1:{port}")])
                .args(["--window", window])
                .stdout(Stdio::null())
                .spawn()
                .expect("evcat runs")
        })
        .collect();
    let mut first = None;
    let mut samples = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(3600);
    loop {
        let done: usize = ports.iter().filter_map(|port| records_checked(*port)).sum();
        if done > 0 && first.is_none() {
            first = Some(Instant::now());
        }
        let fraction = done as f64 / events as f64;
        if samples
            .last()
            .is_none_or(|(last, _)| fraction >= last + 0.1)
            || done >= events
        {
            samples.push((fraction, resident_kib(&children[0])));
        }
        if done >= events {
            break;
        }
        assert!(Instant::now() < deadline, "the members did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    let seconds = first.expect("records were checked").elapsed().as_secs_f64();
    for child in &mut children {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait();
    }
    (seconds, samples)
}
