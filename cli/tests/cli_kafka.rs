//! `evcat validate --kafka` against a real Kafka-protocol broker (tansu,
//! started by the test on 127.0.0.1): a group of two members, one killed
//! with SIGKILL mid-stream and restarted, finds exactly what `evcat
//! validate` finds in each partition's records as a file, repeats findings
//! only past what the killed member had committed, and copies exactly the
//! invalid records to the dead-letter topic.

#![cfg(feature = "kafka")]

mod support;

#[path = "support/broker.rs"]
mod broker;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use broker::Broker;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Header, Headers, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};
use serde_json::Value;

const PARTITIONS: i32 = 4;

/// A record as the test sends it.
#[derive(Clone)]
struct Record {
    key: Option<String>,
    value: Option<Vec<u8>>,
    headers: Vec<(String, Vec<u8>)>,
    partition: i32,
}

/// The partition a key goes to: the test's own hash, so that where each
/// record lands does not depend on a client's partitioner.
fn partition_of(key: &str) -> i32 {
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % PARTITIONS as u64) as i32
}

fn keyed(key: &str, value: Vec<u8>) -> Record {
    Record {
        key: Some(key.to_owned()),
        value: Some(value),
        headers: Vec::new(),
        partition: partition_of(key),
    }
}

/// Where each record landed (the n-th record sent to a partition is at
/// offset n - 1): each record's partition and offset, each partition's
/// records in order, and each partition's end offset.
type Placement<'r> = (Vec<(i32, i64)>, BTreeMap<i32, Vec<&'r Record>>, Vec<i64>);

fn placed(records: &[Record]) -> Placement<'_> {
    let mut offsets = Vec::with_capacity(records.len());
    let mut by_partition: BTreeMap<i32, Vec<&Record>> = BTreeMap::new();
    for record in records {
        let sent = by_partition.entry(record.partition).or_default();
        offsets.push((record.partition, sent.len() as i64));
        sent.push(record);
    }
    let ends = (0..PARTITIONS)
        .map(|partition| {
            by_partition
                .get(&partition)
                .map_or(0, |sent| sent.len() as i64)
        })
        .collect();
    (offsets, by_partition, ends)
}

fn produce(broker: &Broker, topic: &str, records: &[Record]) {
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &broker.address)
        .set("message.max.bytes", "20000000")
        .set("linger.ms", "5")
        .create()
        .expect("a producer");
    for record in records {
        let mut headers = OwnedHeaders::new();
        for (key, value) in &record.headers {
            headers = headers.insert(Header {
                key,
                value: Some(value),
            });
        }
        let mut sent = BaseRecord::<str, [u8]>::to(topic)
            .partition(record.partition)
            .headers(headers);
        if let Some(key) = &record.key {
            sent = sent.key(key);
        }
        if let Some(value) = &record.value {
            sent = sent.payload(value);
        }
        let mut pending = sent;
        loop {
            match producer.send(pending) {
                Ok(()) => break,
                Err((_, back)) => {
                    pending = back;
                    producer.poll(Duration::from_millis(20));
                }
            }
        }
        producer.poll(Duration::ZERO);
    }
    producer
        .flush(Duration::from_secs(60))
        .expect("every record acknowledged");
}

/// The offsets the group has committed, per partition (0 where none).
fn committed(broker: &Broker, group: &str, topic: &str) -> Vec<i64> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &broker.address)
        .set("group.id", group)
        .create()
        .expect("a consumer");
    let mut partitions = TopicPartitionList::new();
    for partition in 0..PARTITIONS {
        partitions.add_partition(topic, partition);
    }
    let offsets = consumer
        .committed_offsets(partitions, Duration::from_secs(10))
        .expect("the group's offsets");
    offsets
        .elements()
        .iter()
        .map(|element| match element.offset() {
            Offset::Offset(offset) => offset,
            _ => 0,
        })
        .collect()
}

/// A record as read back.
struct Received {
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<(String, Vec<u8>)>,
}

/// Every record of a topic: at least `expected`, then whatever arrives
/// until it has been quiet for two seconds.
fn read_all(broker: &Broker, topic: &str, expected: usize) -> Vec<Received> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &broker.address)
        .set("group.id", format!("reader-{topic}"))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .expect("a consumer");
    consumer.subscribe(&[topic]).expect("subscribed");
    let mut records = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut quiet_since = Instant::now();
    while Instant::now() < deadline {
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(message)) => {
                let headers = message
                    .headers()
                    .map(|headers| {
                        headers
                            .iter()
                            .map(|header| {
                                (
                                    header.key.to_owned(),
                                    header.value.unwrap_or_default().to_vec(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                records.push(Received {
                    key: message.key().map(<[u8]>::to_vec),
                    value: message.payload().map(<[u8]>::to_vec),
                    headers,
                });
                quiet_since = Instant::now();
            }
            Some(Err(_)) | None => {
                if records.len() >= expected && quiet_since.elapsed() > Duration::from_secs(2) {
                    break;
                }
            }
        }
    }
    records
}

/// A member of the group, its standard output read as it comes.
struct Member(support::Running);

fn member(broker: &Broker, topic: &str, group: &str, dead_letters: &str) -> Member {
    member_of(&["contracts"], broker, topic, group, dead_letters, &[])
}

/// A member checking against the catalog `catalog` names (`contracts`, or
/// `--catalog FILE`), with `options` besides the test's own.
fn member_of(
    catalog: &[&str],
    broker: &Broker,
    topic: &str,
    group: &str,
    dead_letters: &str,
    options: &[&str],
) -> Member {
    let root = support::workspace_root();
    let mut command = Command::new(env!("CARGO_BIN_EXE_evcat"));
    command
        .current_dir(&root)
        .arg("validate")
        .args(catalog)
        .args(["--kafka", &broker.address, "--topic", topic])
        .args(["--group", group, "--dead-letter-topic", dead_letters])
        .args(["--commit-interval", "100"])
        .args(["--kafka-config", "session.timeout.ms=6000"])
        .args(["--kafka-config", "heartbeat.interval.ms=500"])
        .args(["--kafka-config", "max.poll.interval.ms=10000"])
        .args(options);
    Member(support::Running::spawn(command))
}

impl Member {
    fn kill(mut self) -> (Vec<u8>, String) {
        self.0.child.kill().expect("SIGKILL");
        let _ = self.0.child.wait();
        self.0.output()
    }

    /// Waits for the member to end on its own: its exit code and errors.
    fn wait(mut self, limit: Duration) -> (Option<i32>, String) {
        let deadline = Instant::now() + limit;
        while self.0.child.try_wait().expect("evcat's status").is_none() {
            if Instant::now() > deadline {
                let _ = self.0.child.kill();
                panic!("the member did not stop within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let (code, _, stderr) = self.0.finish();
        (code, stderr)
    }

    /// SIGTERM: the member commits, leaves the group and exits.
    fn stop(self) -> Vec<u8> {
        self.0.signal("-TERM");
        let (code, stdout, stderr) = self.0.finish();
        // 1 with findings, 0 without (a member may have been given only
        // partitions without findings); never 2, a failure.
        assert!(
            matches!(code, Some(0 | 1)),
            "a member stopped with {code:?}\n{stderr}"
        );
        stdout
    }
}

/// `(partition, offset, kind)` of each complete JSON line a member wrote.
fn findings(output: &[u8]) -> Vec<(i32, i64, String, Value)> {
    output
        .split(|byte| *byte == b'\n')
        .filter_map(|line| serde_json::from_slice::<Value>(line).ok())
        .map(|finding| {
            (
                finding["partition"].as_i64().expect("partition") as i32,
                finding["offset"].as_i64().expect("offset"),
                finding["kind"].as_str().expect("kind").to_owned(),
                finding,
            )
        })
        .collect()
}

/// What `evcat validate` finds in one partition's records as a file: line
/// n is the record at offset n - 1 (a record without value is the line
/// `null`, invalid too).
fn file_findings(records: &[&Record], dir: &Path, partition: i32) -> BTreeSet<(i32, i64, String)> {
    file_findings_of(&["contracts"], records, dir, partition)
}

fn file_findings_of(
    catalog: &[&str],
    records: &[&Record],
    dir: &Path,
    partition: i32,
) -> BTreeSet<(i32, i64, String)> {
    let mut text = Vec::new();
    for record in records {
        text.extend_from_slice(record.value.as_deref().unwrap_or(b"null"));
        text.push(b'\n');
    }
    let file = dir.join(format!("partition-{partition}.ndjson"));
    std::fs::write(&file, text).expect("partition file");
    let output = Command::new(env!("CARGO_BIN_EXE_evcat"))
        .current_dir(support::workspace_root())
        .arg("validate")
        .args(catalog)
        .args(["--format", "json"])
        .arg(&file)
        .output()
        .expect("evcat runs");
    let document: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| {
            (
                partition,
                finding["line"].as_i64().expect("line") - 1,
                finding["kind"].as_str().expect("kind").to_owned(),
            )
        })
        .collect()
}

/// The project's stream with every kind of finding, spread through 40,000
/// valid events of distinct aggregates, keyed by aggregate id; and records
/// that break the transport's rules: keyed by event id, not keyed, not
/// UTF-8, not JSON, 10 MB, without a value. Returns the records and the
/// indices of those expected to be `misrouted`.
fn project_records() -> (Vec<Record>, BTreeSet<usize>) {
    let root = support::workspace_root();
    let compiled = evcat::Builder::new(root.join("contracts/catalog.md"))
        .compile()
        .expect("the project's catalog");
    let stream = std::fs::read_to_string(root.join("codegen/tests/streams/messaging.ndjson"))
        .expect("stream");
    let lines: Vec<&str> = stream
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let bulk: Vec<Value> = evcat_bench::distinct_stream(&compiled)
        .take(40_000)
        .collect();
    let mut records = Vec::new();
    let mut misrouted = BTreeSet::new();
    let every = bulk.len() / (lines.len() + 1);
    let mut next_line = 0;
    for (index, event) in bulk.iter().enumerate() {
        let aggregate = event["aggregate_id"].as_str().expect("an aggregate id");
        records.push(keyed(aggregate, event.to_string().into_bytes()));
        if index % every == every - 1 && next_line < lines.len() {
            let line = lines[next_line];
            let key = serde_json::from_str::<Value>(line)
                .ok()
                .and_then(|value| value["aggregate_id"].as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("line-{next_line}"));
            let mut record = keyed(&key, line.as_bytes().to_vec());
            record.headers.push((
                "trace-id".to_owned(),
                format!("line-{next_line}").into_bytes(),
            ));
            records.push(record);
            next_line += 1;
        }
    }
    // Keyed by their event ids, and not keyed at all.
    for (turn, event) in bulk.iter().take(3).enumerate() {
        let mut event = event.clone();
        event["event_id"] = Value::from(format!("01JF{turn:022}"));
        let id = event["event_id"].as_str().expect("id").to_owned();
        misrouted.insert(records.len());
        let mut record = keyed(&id, event.to_string().into_bytes());
        if turn == 2 {
            record.key = None;
        }
        records.push(record);
    }
    let mut huge = b"{\"event_name\": \"".to_vec();
    huge.resize(10 * 1024 * 1024, b'x');
    for (key, value) in [
        (
            "not-utf-8",
            Some(b"{\"event_name\": \"\xff\xfe\"}".to_vec()),
        ),
        ("not-json", Some(b"this is not JSON".to_vec())),
        ("ten-megabytes", Some(huge)),
        ("tombstone", None),
    ] {
        let mut record = keyed(key, Vec::new());
        record.value = value;
        record
            .headers
            .push(("trace-id".to_owned(), key.as_bytes().to_vec()));
        records.push(record);
    }
    (records, misrouted)
}

#[test]
fn a_group_with_a_member_killed_midway_finds_what_each_partition_holds() {
    let broker = Broker::start();
    let (topic, dead_letters, group) = ("project-events", "project-dead-letters", "evcat-test");
    broker.create_topic(topic, PARTITIONS as u32);
    broker.create_topic(dead_letters, 1);
    let (records, misrouted) = project_records();

    let (offsets, by_partition, ends) = placed(&records);
    let total: i64 = ends.iter().sum();

    // Both members join before the records arrive; the first record of
    // each partition goes first, and the group has settled once every
    // partition has a committed offset (tansu does not expire a member that
    // dies while its group is still forming).
    let first = member(&broker, topic, group, dead_letters);
    let second = member(&broker, topic, group, dead_letters);
    let firsts: Vec<usize> = (0..PARTITIONS)
        .filter_map(|partition| offsets.iter().position(|at| *at == (partition, 0)))
        .collect();
    let opening: Vec<Record> = firsts.iter().map(|index| records[*index].clone()).collect();
    let rest: Vec<Record> = records
        .iter()
        .enumerate()
        .filter(|(index, _)| !firsts.contains(index))
        .map(|(_, record)| record.clone())
        .collect();
    produce(&broker, topic, &opening);
    let deadline = Instant::now() + Duration::from_secs(120);
    while committed(&broker, group, topic).contains(&0) {
        assert!(
            Instant::now() < deadline,
            "the group did not settle in 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // SIGKILL part way through the rest, while it is being produced.
    let producing = std::thread::scope(|scope| {
        let producer = scope.spawn(|| produce(&broker, topic, &rest));
        loop {
            let done: i64 = committed(&broker, group, topic).iter().sum();
            assert!(
                done < total,
                "the stream was checked before a member could be killed"
            );
            if done > total / 5 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the group committed {done} of {total} offsets"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let killed = first.kill();
        producer.join().expect("the records produced");
        killed
    });
    let (killed, killed_stderr) = producing;
    let at_kill = committed(&broker, group, topic);
    // The killed member is restarted once its session has expired (6 s):
    // tansu keeps the partitions of a member that died with a join pending.
    std::thread::sleep(Duration::from_secs(8));
    let restarted = member(&broker, topic, group, dead_letters);
    let deadline = Instant::now() + Duration::from_secs(120);
    while committed(&broker, group, topic) != ends {
        if Instant::now() > deadline {
            let (_, second) = second.kill();
            let (_, restarted) = restarted.kill();
            panic!(
                "the group did not commit every offset: {:?} of {ends:?} ({at_kill:?} when one was killed)\nkilled:\n{killed_stderr}\nsecond:\n{second}\nrestarted:\n{restarted}",
                committed(&broker, group, topic)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let outputs = [killed, second.stop(), restarted.stop()];

    // Expected: each partition's file findings, and the misrouted records.
    let scratch = support::scratch_dir("kafka-partitions");
    let mut expected: BTreeSet<(i32, i64, String)> = BTreeSet::new();
    for (partition, sent) in &by_partition {
        expected.extend(file_findings(sent, &scratch, *partition));
    }
    for index in &misrouted {
        let (partition, offset) = offsets[*index];
        expected.insert((partition, offset, "misrouted".to_owned()));
    }
    let mut seen: BTreeMap<(i32, i64, String), usize> = BTreeMap::new();
    let mut messages = BTreeMap::new();
    let mut reporters: BTreeMap<(i32, i64, String), Vec<&str>> = BTreeMap::new();
    for (output, name) in outputs.iter().zip(["killed", "second", "restarted"]) {
        for (partition, offset, kind, finding) in findings(output) {
            messages.insert(
                (partition, offset, kind.clone()),
                finding["message"].to_string(),
            );
            reporters
                .entry((partition, offset, kind.clone()))
                .or_default()
                .push(name);
            *seen.entry((partition, offset, kind)).or_default() += 1;
        }
    }
    let found: BTreeSet<(i32, i64, String)> = seen.keys().cloned().collect();
    let missing: Vec<_> = expected.difference(&found).collect();
    let unexpected: Vec<_> = found
        .difference(&expected)
        .map(|finding| (finding, &messages[finding]))
        .collect();
    assert!(missing.is_empty(), "findings missing: {missing:?}");
    assert!(
        unexpected.is_empty(),
        "findings not expected: {unexpected:?}"
    );
    assert!(expected.len() >= 16, "{expected:?}");
    let repeated = seen.values().filter(|count| **count > 1).count();
    eprintln!(
        "committed when one member was killed: {at_kill:?} of {ends:?}; {} findings, {repeated} repeated; by member: {:?}",
        expected.len(),
        outputs.iter().map(|output| findings(output).len()).collect::<Vec<_>>()
    );
    assert!(
        at_kill.iter().sum::<i64>() < total,
        "the member was killed after the group had committed everything"
    );
    // At least once: a finding repeats only for a record past what the
    // killed member had committed.
    for ((partition, offset, kind), count) in &seen {
        assert!(
            *count <= 2,
            "{kind} at {partition}/{offset} reported {count} times"
        );
        if *count == 2 {
            assert!(
                *offset >= at_kill[*partition as usize],
                "{kind} at {partition}/{offset} repeated (by {:?}), though offset {} was committed",
                reporters[&(*partition, *offset, kind.clone())],
                at_kill[*partition as usize]
            );
        }
    }

    // The dead-letter topic: a copy of each invalid record, headers and all.
    let invalid: BTreeSet<(i32, i64)> = expected
        .iter()
        .filter(|(_, _, kind)| kind == "invalid")
        .map(|(partition, offset, _)| (*partition, *offset))
        .collect();
    let letters = read_all(&broker, dead_letters, invalid.len());
    let mut copied = BTreeSet::new();
    for Received {
        key,
        value,
        headers,
    } in &letters
    {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| String::from_utf8_lossy(value).into_owned())
                .unwrap_or_else(|| panic!("a dead letter without {name}"))
        };
        assert_eq!(header("evcat.source.topic"), topic);
        assert_eq!(header("evcat.finding.kind"), "invalid");
        let partition: i32 = header("evcat.source.partition")
            .parse()
            .expect("a partition");
        let offset: i64 = header("evcat.source.offset").parse().expect("an offset");
        let index = offsets
            .iter()
            .position(|at| *at == (partition, offset))
            .expect("a record that was sent");
        let original = &records[index];
        assert_eq!(key.as_deref(), original.key.as_deref().map(str::as_bytes));
        assert_eq!(
            value, &original.value,
            "the dead letter of {partition}/{offset}"
        );
        for (name, value) in &original.headers {
            assert_eq!(&header(name).into_bytes(), value, "header {name} copied");
        }
        if !copied.insert((partition, offset)) {
            assert!(
                offset >= at_kill[partition as usize],
                "dead letter {partition}/{offset} repeated"
            );
        }
    }
    assert_eq!(copied, invalid, "the dead letters are the invalid records");
}

#[test]
fn unreachable_brokers_and_missing_topics_are_clear_errors() {
    let root = support::workspace_root();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_evcat"))
            .current_dir(&root)
            .args(["validate", "contracts"])
            .args(args)
            .output()
            .expect("evcat runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    let (code, stderr) = run(&["--kafka", &closed.to_string(), "--topic", "events"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot reach the Kafka brokers at {closed}")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // librdkafka repeats an error at each reconnection: said once a run.
    assert!(
        stderr.lines().count() <= 8,
        "a refused broker in a few lines:\n{stderr}"
    );

    let broker = Broker::start();
    let (code, stderr) = run(&["--kafka", &broker.address, "--topic", "no-such-topic"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no topic `no-such-topic`"), "{stderr}");
}

/// A catalog other than the project's: CloudEvents with `subject` as the
/// aggregate id. Its stream (redeliveries from two sources, invalid
/// events) on four partitions, keyed by subject, checked by one member:
/// the findings of each partition's records as a file, and a redelivery
/// keyed by its event id instead is `misrouted` too.
#[test]
fn a_cloudevents_topic_gets_the_findings_of_its_partitions() {
    let broker = Broker::start();
    let (topic, dead_letters, group) = ("cloudevents", "cloudevents-dead-letters", "ce-check");
    broker.create_topic(topic, PARTITIONS as u32);
    broker.create_topic(dead_letters, 1);
    let records = cloudevents_records();
    produce(&broker, topic, &records);

    let catalog = ["--catalog", CLOUDEVENTS_CATALOG];
    let metrics = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .to_string();
    let checking = member_of(
        &catalog,
        &broker,
        topic,
        group,
        dead_letters,
        &["--metrics", &metrics],
    );
    let (_, _, ends) = placed(&records);
    wait_for_commits(&broker, group, topic, &ends, "every offset");
    // librdkafka reports lag every 5 seconds: wait for a report after the
    // last commit, every partition with records caught up.
    let with_records: Vec<i32> = (0..PARTITIONS)
        .filter(|partition| ends[*partition as usize] > 0)
        .collect();
    let lag_of = |text: &str, partition: i32| {
        sample(
            text,
            &format!("evcat_partition_lag{{topic=\"{topic}\",partition=\"{partition}\"}}"),
        )
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let scraped = loop {
        let text = scrape(&metrics);
        if with_records
            .iter()
            .all(|partition| lag_of(&text, *partition) == Some(0.0))
        {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "no lag of 0 reported for every partition:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let output = checking.stop();
    let expected = cloudevents_findings(&records, "kafka-cloudevents");
    let found: BTreeSet<(i32, i64, String)> = findings(&output)
        .into_iter()
        .map(|(partition, offset, kind, _)| (partition, offset, kind))
        .collect();
    assert_eq!(found, expected);
    let duplicates = expected
        .iter()
        .filter(|(_, _, kind)| kind == "duplicate")
        .count();
    assert!(duplicates >= 3, "{expected:?}");

    // The metrics tell the same story: every record, the findings by kind,
    // each partition's last offset, and commits.
    let records_total = format!("evcat_records_total{{topic=\"{topic}\"}}");
    assert_eq!(
        sample(&scraped, &records_total),
        Some(records.len() as f64),
        "{scraped}"
    );
    let kinds = evcat::stream::FindingKind::ALL.map(evcat::stream::FindingKind::as_str);
    for kind in kinds.into_iter().chain(["misrouted"]) {
        let count = expected
            .iter()
            .filter(|(_, _, found)| found == kind)
            .count();
        let series = format!("evcat_findings_total{{topic=\"{topic}\",kind=\"{kind}\"}}");
        assert_eq!(sample(&scraped, &series), Some(count as f64), "{scraped}");
    }
    for partition in &with_records {
        let series =
            format!("evcat_partition_offset{{topic=\"{topic}\",partition=\"{partition}\"}}");
        let last = ends[*partition as usize] - 1;
        assert_eq!(sample(&scraped, &series), Some(last as f64), "{scraped}");
    }
    let commits = format!("evcat_commit_seconds_count{{topic=\"{topic}\"}}");
    assert!(
        sample(&scraped, &commits).is_some_and(|count| count >= 1.0),
        "{scraped}"
    );
}

/// The CloudEvents fixture's catalog, checked with `--catalog`.
const CLOUDEVENTS_CATALOG: &str = "codegen/tests/fixtures/cloudevents/catalog.md";

/// The CloudEvents stream (redeliveries from two sources, invalid events)
/// keyed by subject, its aggregate id, and then its first event delivered
/// again keyed by its event id, in the first event's partition.
fn cloudevents_records() -> Vec<Record> {
    let root = support::workspace_root();
    let compiled = evcat::Builder::new(root.join(CLOUDEVENTS_CATALOG))
        .compile()
        .expect("the fixture's catalog");
    let subject = compiled
        .catalog
        .envelope
        .roles
        .aggregate_id
        .clone()
        .expect("CloudEvents' subject is the aggregate id");
    let stream = std::fs::read_to_string(root.join("codegen/tests/streams/cloudevents.ndjson"))
        .expect("the stream");
    let mut records: Vec<Record> = stream
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("JSON");
            let key = subject
                .find(&value)
                .and_then(Value::as_str)
                .expect("a subject");
            keyed(key, line.as_bytes().to_vec())
        })
        .collect();
    let first_line = stream.lines().next().expect("a line");
    let first: Value = serde_json::from_str(first_line).expect("JSON");
    let mut rekeyed = keyed(
        first["id"].as_str().expect("an id"),
        first_line.as_bytes().to_vec(),
    );
    rekeyed.partition = records[0].partition;
    records.push(rekeyed);
    records
}

/// What [`cloudevents_records`] hold: each partition's findings as a file,
/// and the redelivery keyed by its event id `misrouted`.
fn cloudevents_findings(records: &[Record], scratch: &str) -> BTreeSet<(i32, i64, String)> {
    let catalog = ["--catalog", CLOUDEVENTS_CATALOG];
    let scratch = support::scratch_dir(scratch);
    let (_, by_partition, _) = placed(records);
    let mut expected = BTreeSet::new();
    for (partition, sent) in &by_partition {
        expected.extend(file_findings_of(&catalog, sent, &scratch, *partition));
    }
    let last = by_partition[&records[0].partition].len() as i64 - 1;
    expected.insert((records[0].partition, last, "misrouted".to_owned()));
    expected
}

/// Waits until the group has committed `offsets` (one a partition).
fn wait_for_commits(broker: &Broker, group: &str, topic: &str, offsets: &[i64], what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while committed(broker, group, topic) != offsets {
        assert!(Instant::now() < deadline, "{what} were not committed");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A dead-letter topic that cannot be written (it does not exist and the
/// broker does not create it): the member stops with an error naming it;
/// what it committed before stays, and no partition's committed offset
/// passes its first invalid record, so the group reads that record again.
#[test]
fn output_that_cannot_be_written_is_never_committed_past() {
    let broker = Broker::start();
    let (topic, group) = ("refused", "refused-check");
    broker.create_topic(topic, PARTITIONS as u32);
    let records = cloudevents_records();
    let catalog = ["--catalog", CLOUDEVENTS_CATALOG];
    let (offsets, by_partition, _) = placed(&records);
    let scratch = support::scratch_dir("kafka-refused");
    let invalid: BTreeSet<(i32, i64)> = by_partition
        .iter()
        .flat_map(|(partition, sent)| file_findings_of(&catalog, sent, &scratch, *partition))
        .filter(|(_, _, kind)| kind == "invalid")
        .map(|(partition, offset, _)| (partition, offset))
        .collect();
    // First the records before the first invalid one, checked and
    // committed; then the rest.
    let first_invalid = offsets
        .iter()
        .position(|placed| invalid.contains(placed))
        .expect("the stream has invalid events");
    let (before, rest) = records.split_at(first_invalid);
    let (_, _, committed_before) = placed(before);
    assert!(committed_before.iter().any(|end| *end > 0));
    produce(&broker, topic, before);
    let checking = member_of(
        &catalog,
        &broker,
        topic,
        group,
        "no-such-dead-letters",
        &["--kafka-config", "message.timeout.ms=3000"],
    );
    wait_for_commits(
        &broker,
        group,
        topic,
        &committed_before,
        "the valid records",
    );
    produce(&broker, topic, rest);
    let (code, stderr) = checking.wait(Duration::from_secs(60));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("could not write to topic `no-such-dead-letters`")
            && stderr.contains("left uncommitted")
            && !stderr.contains("panicked"),
        "{stderr}"
    );
    let committed = committed(&broker, group, topic);
    for partition in 0..PARTITIONS {
        let (now, before) = (
            committed[partition as usize],
            committed_before[partition as usize],
        );
        assert!(now >= before, "partition {partition}: {now} < {before}");
        let first = invalid
            .iter()
            .filter(|(invalid_partition, _)| *invalid_partition == partition)
            .map(|(_, offset)| *offset)
            .min();
        if let Some(first) = first {
            assert!(
                now <= first,
                "partition {partition}: committed {now}, past the invalid record at {first}"
            );
        }
    }
}

/// On a terminal (util-linux's `script` gives the member one), standard
/// error shows a progress line: records checked and findings so far.
#[test]
fn a_member_on_a_terminal_shows_its_progress() {
    use std::os::unix::process::CommandExt;
    use std::sync::{Arc, Mutex};
    let broker = Broker::start();
    let topic = "progress";
    broker.create_topic(topic, PARTITIONS as u32);
    let records = cloudevents_records();
    produce(&broker, topic, &records);
    let found = cloudevents_findings(&records, "kafka-progress").len();
    let command = format!(
        "{} validate --catalog {CLOUDEVENTS_CATALOG} --kafka {} --topic {topic} --group progress-check",
        env!("CARGO_BIN_EXE_evcat"),
        broker.address
    );
    let mut terminal = Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .current_dir(support::workspace_root())
        .process_group(0)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script runs");
    let shown = Arc::new(Mutex::new(Vec::new()));
    let mut output = terminal.stdout.take().expect("the terminal's output");
    let reader = {
        let shown = Arc::clone(&shown);
        std::thread::spawn(move || {
            let mut chunk = [0; 4096];
            while let Ok(read @ 1..) = output.read(&mut chunk) {
                shown
                    .lock()
                    .expect("output")
                    .extend_from_slice(&chunk[..read]);
            }
        })
    };
    let expected = format!("\r{} records checked, {found} findings", records.len());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = String::from_utf8_lossy(&shown.lock().expect("output")).into_owned();
        if text.contains(&expected) {
            break;
        }
        if Instant::now() > deadline {
            let _ = terminal.kill();
            panic!("no `{expected:?}` on the terminal:\n{text:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // SIGTERM to the terminal's process group: the member stops cleanly.
    let status = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", terminal.id())])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let _ = terminal.wait();
    let _ = reader.join();
}

/// `GET /metrics` from a member's `--metrics` address: the body.
fn scrape(address: &str) -> String {
    use std::io::Write;
    let mut connection = std::net::TcpStream::connect(address).expect("the metrics address");
    write!(
        connection,
        "GET /metrics HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("request sent");
    let mut response = String::new();
    connection
        .read_to_string(&mut response)
        .expect("a response");
    let (head, body) = response.split_once("\r\n\r\n").expect("headers and a body");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/plain; version=0.0.4"),
        "{head}"
    );
    body.to_owned()
}

/// The value of one series in Prometheus' text format.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}
