//! `evcat validate --kafka`: a member of a consumer group that checks the
//! records of the partitions it is assigned, one stream checker per
//! partition. Producers key events by aggregate id, so an aggregate's events
//! and their redeliveries share a partition and per-partition state is
//! exact; a group of members splits the partitions between them.
//!
//! Findings are JSON lines on standard output and, with `--findings-topic`,
//! records keyed like the record they are about; invalid records are copied
//! to `--dead-letter-topic`. Offsets are committed only once what the
//! records before them produced is written and acknowledged: a member that
//! dies leaves the rest to the group, so a finding may repeat, never go
//! missing.

mod member;
mod metrics;
mod outputs;
mod routing;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::ClientConfig;

use member::{Member, MemberContext};
use metrics::Metrics;
use outputs::Outputs;
use routing::Routing;

/// Where a partition the group has no offset for is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Start {
    Earliest,
    Latest,
}

/// What a record's key must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Keying {
    /// The event's aggregate id: a record keyed otherwise is `misrouted`.
    AggregateId,
    /// Anything: only an aggregate seen in two partitions is `misrouted`.
    Any,
}

pub struct Options {
    pub brokers: String,
    pub topic: String,
    pub group: String,
    pub start: Start,
    pub findings_topic: Option<String>,
    pub dead_letter_topic: Option<String>,
    pub metrics: Option<SocketAddr>,
    /// Offsets per epoch of the per-partition window.
    pub window: u64,
    pub keying: Keying,
    /// librdkafka properties, `name=value`.
    pub config: Vec<String>,
    /// The longest a finding waits to be written and its offset committed.
    pub commit_interval: Duration,
}

/// Runs until SIGINT or SIGTERM; `Ok(true)` when nothing was found.
pub fn run(compiled: evcat::Compiled, options: Options) -> Result<bool, String> {
    // The checkers borrow the catalog for as long as the process reads.
    let catalog: &'static evcat::ir::Catalog = Box::leak(Box::new(compiled.catalog));
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", &options.brokers)
        .set("client.id", "evcat");
    for property in &options.config {
        let Some((name, value)) = property.split_once('=') else {
            return Err(format!(
                "--kafka-config `{property}`: write it as name=value"
            ));
        };
        config.set(name.trim(), value.trim());
    }
    let outputs = Outputs::new(
        &config,
        options.findings_topic.clone(),
        options.dead_letter_topic.clone(),
    )?;
    let metrics = Metrics::new(&options.topic);
    if let Some(address) = options.metrics {
        metrics.serve(address)?;
        config.set("statistics.interval.ms", "5000");
    }
    config
        .set("group.id", &options.group)
        // Offsets are committed by hand, after the findings are written.
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        // Where a replay starts may precede what the topic still holds.
        .set("auto.offset.reset", "earliest")
        // Eager rebalancing: every partition is given back, committed, and
        // taken again with a state replayed from the group's offsets.
        .set("partition.assignment.strategy", "range,roundrobin")
        .set("allow.auto.create.topics", "false");
    let context = MemberContext {
        member: Mutex::new(Member {
            catalog,
            topic: options.topic.clone(),
            window: options.window,
            start: options.start,
            keying: options.keying,
            partitions: Default::default(),
            routing: Routing::new(usize::try_from(options.window).unwrap_or(usize::MAX)),
            outputs,
            metrics: metrics.clone(),
            findings: 0,
            failure: None,
            last_commit: Instant::now(),
        }),
        metrics: metrics.clone(),
        all_brokers_down: AtomicBool::new(false),
        last_error: Mutex::new(String::new()),
    };
    let consumer: BaseConsumer<MemberContext> = config
        .create_with_context(context)
        .map_err(|error| format!("cannot create a Kafka consumer: {error}"))?;
    check_topic(&consumer, &options)?;
    consumer
        .subscribe(&[&options.topic])
        .map_err(|error| format!("cannot subscribe to `{}`: {error}", options.topic))?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|error| format!("cannot handle signal {signal}: {error}"))?;
    }
    let progress = std::io::stderr().is_terminal();
    let mut shown = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        match consumer.poll(Duration::from_millis(100)) {
            None => {}
            Some(Ok(record)) => consumer.context().lock().check(&record),
            Some(Err(KafkaError::PartitionEOF(_))) => {}
            Some(Err(KafkaError::MessageConsumption(
                code @ (RDKafkaErrorCode::UnknownTopicOrPartition | RDKafkaErrorCode::UnknownTopic),
            ))) => {
                return Err(format!(
                    "no topic `{}` at {} ({code})",
                    options.topic, options.brokers
                ))
            }
            Some(Err(error)) => eprintln!("evcat: Kafka: {error}"),
        }
        let mut member = consumer.context().lock();
        if let Some(failure) = member.failure.take() {
            return Err(uncommitted(failure));
        }
        if member.last_commit.elapsed() >= options.commit_interval {
            member.commit(&consumer);
        }
        drop(member);
        if progress && shown.elapsed() >= Duration::from_secs(1) {
            let (records, findings) = metrics.totals();
            eprint!("\r{records} records checked, {findings} findings");
            shown = Instant::now();
        }
    }
    if progress {
        eprintln!();
    }
    let findings = {
        let mut member = consumer.context().lock();
        member.commit(&consumer);
        if let Some(failure) = member.failure.take() {
            return Err(uncommitted(failure));
        }
        member.findings
    };
    // Leaving the group: the revocation commits again (nothing new) and the
    // partitions go to the other members at once, not after a timeout.
    consumer.unsubscribe();
    drop(consumer);
    Ok(findings == 0)
}

/// A clear message for brokers that cannot be reached and topics that do
/// not exist, before joining the group: at once when librdkafka reports
/// every broker down (a refused connection), else after 15 s.
fn check_topic(consumer: &BaseConsumer<MemberContext>, options: &Options) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    let metadata = loop {
        match consumer.fetch_metadata(Some(&options.topic), Duration::from_millis(500)) {
            Ok(metadata) => break metadata,
            Err(error) => {
                // Serves librdkafka's error callbacks (all brokers down).
                let _ = consumer.poll(Duration::ZERO);
                if consumer.context().all_brokers_down.load(Ordering::Relaxed)
                    || Instant::now() >= deadline
                {
                    return Err(format!(
                        "cannot reach the Kafka brokers at {}: {error}",
                        options.brokers
                    ));
                }
            }
        }
    };
    let topic = metadata
        .topics()
        .iter()
        .find(|topic| topic.name() == options.topic);
    match topic {
        Some(topic) if topic.error().is_none() && !topic.partitions().is_empty() => Ok(()),
        _ => Err(format!(
            "no topic `{}` at {}",
            options.topic, options.brokers
        )),
    }
}

/// A failure, and what it means for the group: nothing past the last commit
/// was committed, so those records are read again.
fn uncommitted(failure: String) -> String {
    format!("{failure}; offsets after the last commit were left uncommitted, to be read again")
}
