//! One member of the consumer group: the partitions it was assigned, each
//! with its own checker, what it reported and what it may commit.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use evcat::ir::Catalog;
use evcat::stream::FindingKind;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext};
use rdkafka::message::BorrowedMessage;
use rdkafka::types::RDKafkaRespErr;
use rdkafka::{ClientContext, Message, Offset, TopicPartitionList};

use super::metrics::Metrics;
use super::outputs::{Outputs, Report};
use super::routing::{Routing, MISROUTED};
use super::{Keying, Start};
use crate::windowed::{replay_start, WindowedChecker};

/// What the member knows; shared by the poll loop and the rebalance
/// callbacks (which librdkafka calls from inside `poll`, on the same thread).
pub struct Member {
    pub catalog: &'static Catalog,
    pub topic: String,
    pub window: u64,
    pub start: Start,
    pub keying: Keying,
    pub partitions: BTreeMap<i32, WindowedChecker>,
    pub routing: Routing,
    pub outputs: Outputs,
    pub metrics: Metrics,
    /// Findings reported in this run.
    pub findings: u64,
    /// Set when output was lost or a commit failed: the member stops and
    /// commits nothing more.
    pub failure: Option<String>,
    pub last_commit: Instant,
}

pub struct MemberContext {
    pub member: Mutex<Member>,
    /// The member's metrics too, for librdkafka's statistics callback.
    pub metrics: Metrics,
    /// librdkafka reported every broker down (none could be connected to):
    /// a member that has not joined yet stops at once rather than wait.
    pub all_brokers_down: std::sync::atomic::AtomicBool,
    /// The error printed last: librdkafka repeats one while it lasts (every
    /// reconnection attempt), and a run of the same one is printed once.
    pub last_error: Mutex<String>,
}

impl MemberContext {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, Member> {
        self.member
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

impl ClientContext for MemberContext {
    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        if error.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::AllBrokersDown) {
            self.all_brokers_down
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let line = format!("evcat: Kafka: {error}: {reason}");
        let mut last = self
            .last_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *last != line {
            eprintln!("{line}");
            *last = line;
        }
    }

    fn stats(&self, statistics: rdkafka::Statistics) {
        self.metrics.statistics(&statistics);
    }
}

impl ConsumerContext for MemberContext {
    fn rebalance(
        &self,
        consumer: &BaseConsumer<Self>,
        err: RDKafkaRespErr,
        partitions: &mut TopicPartitionList,
    ) {
        let mut member = self.lock();
        match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => {
                let assignment = member.assigned(consumer, partitions);
                if let Err(error) = consumer.assign(&assignment) {
                    member.fail(format!("cannot take the assigned partitions: {error}"));
                }
            }
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => {
                // What was checked of the partitions is committed while they
                // are still this member's: the next owner starts after it.
                member.commit(consumer);
                let revoked: Vec<i32> = partitions
                    .elements()
                    .iter()
                    .map(|p| p.partition())
                    .collect();
                for partition in revoked {
                    member.partitions.remove(&partition);
                    member.metrics.forget_partition(partition);
                }
                if let Err(error) = consumer.unassign() {
                    member.fail(format!("cannot give the partitions back: {error}"));
                }
            }
            other => {
                eprintln!("evcat: Kafka: rebalancing failed: {other:?}");
                let _ = consumer.unassign();
            }
        }
    }
}

impl Member {
    pub fn fail(&mut self, failure: String) {
        self.failure.get_or_insert(failure);
    }

    /// The offsets to start the assigned partitions at: where the group
    /// committed, less the window to replay; where none was committed, the
    /// start `--from` names. A state for each.
    fn assigned(
        &mut self,
        consumer: &BaseConsumer<MemberContext>,
        partitions: &TopicPartitionList,
    ) -> TopicPartitionList {
        let committed = consumer
            .committed_offsets(partitions.clone(), Duration::from_secs(30))
            .unwrap_or_else(|error| {
                eprintln!("evcat: Kafka: the group's offsets could not be read ({error}); starting from --from");
                partitions.clone()
            });
        let mut assignment = TopicPartitionList::new();
        for element in committed.elements() {
            let partition = element.partition();
            let (offset, replay_until) = match element.offset() {
                Offset::Offset(committed) if committed >= 0 => (
                    Offset::Offset(replay_start(committed, self.window)),
                    committed,
                ),
                _ => match self.start {
                    Start::Earliest => (Offset::Beginning, 0),
                    Start::Latest => (Offset::End, 0),
                },
            };
            let _ = assignment.add_partition_offset(element.topic(), partition, offset);
            let mut state = WindowedChecker::new(
                self.catalog,
                self.window,
                replay_until,
                evcat::stream::Positions::Offsets,
            );
            if let Offset::Offset(committed) = element.offset() {
                state.committed = Some(committed);
            }
            self.partitions.insert(partition, state);
        }
        assignment
    }

    /// Checks one record and reports what is wrong with it.
    pub fn check(&mut self, record: &BorrowedMessage<'_>) {
        if self.failure.is_some() {
            return;
        }
        let partition = record.partition();
        let offset = record.offset();
        let Some(state) = self.partitions.get_mut(&partition) else {
            return; // a partition given back since it was fetched
        };
        let replay = state.is_replay(offset);
        let value = record.payload();
        let finding = match value {
            None => Some((
                FindingKind::Invalid.as_str(),
                "not JSON: the record has no value (a tombstone)".to_owned(),
                None,
            )),
            Some([]) => Some((
                FindingKind::Invalid.as_str(),
                "not JSON: the record's value is empty".to_owned(),
                None,
            )),
            Some(value) => state
                .check(offset, value)
                .map(|finding| (finding.kind.as_str(), finding.message, finding.event_id)),
        };
        let misrouted = match value {
            Some(value) if !value.is_empty() => {
                let aggregate = state.aggregate();
                self.routing
                    .misrouted(self.keying, record.key(), aggregate, partition, offset)
            }
            _ => None,
        };
        state.next = Some(offset + 1);
        if replay {
            return;
        }
        self.metrics.record(partition, offset);
        let mut reported = Vec::new();
        if let Some((kind, message, event_id)) = &finding {
            reported.push((*kind, message.as_str(), event_id.as_deref()));
        }
        if let Some(message) = &misrouted {
            reported.push((MISROUTED, message.as_str(), None));
        }
        for (kind, message, event_id) in reported {
            let report = Report {
                kind,
                message,
                event_id,
            };
            self.findings += 1;
            self.metrics.finding(kind);
            let mut written = self.outputs.finding(record, &report);
            if kind == FindingKind::Invalid.as_str() {
                written = written.and_then(|()| self.outputs.dead_letter(record, &report));
            }
            if let Err(error) = written {
                self.fail(error);
                return;
            }
        }
    }

    /// Writes out what was reported and commits the offsets it covers. Any
    /// output not acknowledged: nothing is committed, and the member stops.
    pub fn commit(&mut self, consumer: &BaseConsumer<MemberContext>) {
        if self.failure.is_some() {
            return;
        }
        let started = Instant::now();
        self.last_commit = started;
        let mut offsets = TopicPartitionList::new();
        for (partition, state) in &self.partitions {
            if let Some(next) = state.next.filter(|next| Some(*next) != state.committed) {
                let _ = offsets.add_partition_offset(&self.topic, *partition, Offset::Offset(next));
            }
        }
        if offsets.count() == 0 {
            return;
        }
        if let Err(error) = self.outputs.flush() {
            self.fail(error);
            return;
        }
        if let Err(error) = consumer.commit(&offsets, CommitMode::Sync) {
            // A commit refused (a rebalance under way) is not lost output:
            // the next owner reads those records again.
            eprintln!(
                "evcat: Kafka: offsets not committed ({error}); their records will be read again"
            );
            return;
        }
        for element in offsets.elements() {
            if let (Some(state), Offset::Offset(next)) = (
                self.partitions.get_mut(&element.partition()),
                element.offset(),
            ) {
                state.committed = Some(next);
            }
        }
        self.metrics.committed(started.elapsed());
    }
}
